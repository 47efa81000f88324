/**
 * The access rules, one file per record kind, loaded together: import `authorize`, `can` and
 * `permissionsOf` from here so that every rule is declared before the first question.
 */
import "./activity.ts";
import "./apiClient.ts";
import "./auditLog.ts";
import "./case.ts";
import "./cluster.ts";
import "./coordination.ts";
import "./event.ts";
import "./jurisdiction.ts";
import "./notification.ts";
import "./observation.ts";
import "./person.ts";
import "./sections.ts";
import "./stats.ts";
import "./user.ts";

export { authorize, can, permissionsOf, wasAuthorized } from "./registry.ts";
