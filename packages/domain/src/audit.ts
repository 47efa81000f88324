import type { CodeItem, Lang } from "./codes.ts";

// 監査ログ: what each access-log row's action and record kind are called on screen and in CSV.

export const auditActions = [
  { code: "read", ja: "閲覧", en: "Read" },
  { code: "list", ja: "一覧の閲覧", en: "Read a list" },
  { code: "export", ja: "出力（ダウンロード）", en: "Export (download)" },
  { code: "create", ja: "登録", en: "Create" },
  { code: "update", ja: "更新", en: "Update" },
  { code: "delete", ja: "削除", en: "Delete" },
  { code: "import", ja: "一括取込", en: "Import" },
  { code: "merge", ja: "統合", en: "Merge" },
  { code: "retire", ja: "廃止", en: "Retire" },
  { code: "transfer", ja: "移管", en: "Transfer" },
  { code: "login", ja: "サインイン", en: "Sign-in" },
  { code: "login_failed", ja: "サインイン失敗", en: "Failed sign-in" },
  { code: "logout", ja: "サインアウト", en: "Sign-out" },
  { code: "first_login", ja: "初回サインイン", en: "First sign-in" },
  { code: "token", ja: "アクセストークンの発行", en: "Access token issued" },
  { code: "token_failed", ja: "アクセストークンの発行失敗", en: "Failed token request" },
  { code: "revoke", ja: "取り消し", en: "Revoke" },
] as const satisfies readonly CodeItem[];
export type AuditAction = (typeof auditActions)[number]["code"];
export const auditActionCodes = auditActions.map((a) => a.code) as [AuditAction, ...AuditAction[]];

export const auditOutcomes = [
  { code: "allowed", ja: "許可", en: "Allowed" },
  { code: "denied", ja: "拒否", en: "Denied" },
] as const satisfies readonly CodeItem[];

export const auditEntities = [
  { code: "case", ja: "症例", en: "Case" },
  { code: "case_history", ja: "症例の変更履歴", en: "Case history" },
  { code: "case_infection", ja: "感染経路", en: "Route of infection" },
  { code: "case_contact", ja: "濃厚接触者", en: "Close contact" },
  { code: "case_contacts", ja: "濃厚接触者", en: "Close contacts" },
  { code: "case_activity", ja: "行動歴", en: "Activity" },
  { code: "case_activities", ja: "行動歴", en: "Activities" },
  { code: "person", ja: "患者等（本人）", en: "Person" },
  { code: "person_link_proposal", ja: "同一人物の候補", en: "Same-person proposal" },
  { code: "notification", ja: "発生届", en: "Notification" },
  { code: "notification_upload", ja: "発生届のCSV取込", en: "Notification CSV upload" },
  { code: "notification_daily_counts", ja: "定点報告", en: "Daily counts" },
  { code: "health_report", ja: "健康観察の報告", en: "Health report" },
  { code: "health_report_link", ja: "健康観察の案内", en: "Health report link" },
  { code: "health_observation", ja: "健康観察", en: "Health observation" },
  { code: "health_alert", ja: "健康観察のアラート", en: "Health alert" },
  { code: "health_alert_rules", ja: "アラートの基準", en: "Alert rules" },
  { code: "health_message", ja: "患者へのメッセージ", en: "Message to a patient" },
  { code: "health_device", ja: "患者の端末", en: "Patient device" },
  { code: "health_auto_call", ja: "自動架電", en: "Automated call" },
  { code: "cluster", ja: "クラスター", en: "Cluster" },
  { code: "cluster_suggestion", ja: "クラスターの候補", en: "Cluster suggestion" },
  { code: "transmission_graph", ja: "感染経路図", en: "Transmission graph" },
  { code: "admission_request", ja: "入院調整の依頼", en: "Admission request" },
  { code: "wide_area_request", ja: "広域調整の依頼", en: "Wide-area request" },
  { code: "placement", ja: "入院・入所先", en: "Placement" },
  { code: "facility_capacity", ja: "病床の状況", en: "Bed capacity" },
  { code: "facility", ja: "医療機関", en: "Facility" },
  { code: "health_center", ja: "保健所", en: "Health center" },
  { code: "municipality", ja: "市区町村", en: "Municipality" },
  { code: "disease_definition", ja: "感染症の定義", en: "Disease definition" },
  { code: "user", ja: "利用者アカウント", en: "User account" },
  { code: "api_client", ja: "APIクライアント", en: "API client" },
  { code: "audit_log", ja: "監査ログ", en: "Access log" },
  { code: "stats_line_list", ja: "匿名化ラインリスト", en: "De-identified line list" },
] as const satisfies readonly CodeItem[];

/** A label for a code of these lists; a code unknown here gets a neutral word, never itself. */
export function auditLabel(list: readonly CodeItem[], code: string, lang: Lang = "ja"): string {
  const item = list.find((entry) => entry.code === code);
  if (item) return item[lang];
  return lang === "ja" ? "その他" : "Other";
}
