// Shared UI components of the staff and patient apps. Import from here.
export { ActionMenu, type ActionMenuItem } from "./ActionMenu.tsx";
export { Alert, ErrorAlert, useErrorMessage } from "./Alert.tsx";
export { Badge, type BadgeTone } from "./Badge.tsx";
export { Button, type ButtonProps } from "./Button.tsx";
export { Checkbox, CheckboxGroup, type CheckboxOption } from "./CheckboxGroup.tsx";
export { ComingSoon } from "./ComingSoon.tsx";
export { cx } from "./cx.ts";
export {
  createDataColumnHelper,
  type DataColumnDef,
  type DataColumnMeta,
  DataTable,
  type DataTableFeatures,
  dataTableFeatures,
} from "./DataTable.tsx";
export { DateInput } from "./DateInput.tsx";
export { DateText, DateTimeText, useFormatDate, useFormatWareki } from "./DateText.tsx";
export { Dialog } from "./Dialog.tsx";
export { EmptyState } from "./EmptyState.tsx";
export { FieldError, FieldHint, FieldLabel } from "./Field.tsx";
export { bindFields, useDraft } from "./form.ts";
export { Loading, Spinner } from "./Loading.tsx";
export { PagedTable } from "./PagedTable.tsx";
export { PageHeader } from "./PageHeader.tsx";
export { SecretsShownOnce } from "./SecretsShownOnce.tsx";
export { SecretValue } from "./SecretValue.tsx";
export { Select, type SelectOption, type SelectOptionGroup } from "./Select.tsx";
export { TextField } from "./TextField.tsx";
