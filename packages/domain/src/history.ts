// 変更履歴: every kind of entry a case's history may hold. Writers are typed with this list, and
// the web app must label each one in every language (a test fails when one is missing), so
// the history never shows a raw key.
export const caseHistoryActions = [
  "create",
  "update",
  "status",
  "test_add",
  "test_update",
  "test_delete",
  "hospital",
  "health_centers",
  "household_link",
  "household_unlink",
  "person_merge",
  "notification_attached",
  "contact.create",
  "contact.link",
  "activity.create",
  "activity.copy",
  "alert_acknowledged",
  "infection.update",
  "lastContactDate",
  "placement",
  "admission_request",
] as const;
export type CaseHistoryAction = (typeof caseHistoryActions)[number];

/** Keys of a history entry's before/after that identify records: never shown as raw ids. */
export const historyIdKeys = /(^id$|Id$|Ids$|^ids$)/;
