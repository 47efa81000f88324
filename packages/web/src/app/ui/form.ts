import { type ChangeEvent, type FormEvent, useState } from "react";

type Errors = Partial<Record<string, string>>;
type StringKeys<D> = { [K in keyof D]: D[K] extends string ? K : never }[keyof D] & string;

/** A form's draft, with a setter for one field at a time. */
export function useDraft<D extends object>(initial: D | (() => D)) {
  const [draft, setDraft] = useState<D>(initial);
  const set = <K extends keyof D>(key: K, value: D[K]) => setDraft((d) => ({ ...d, [key]: value }));
  return { draft, setDraft, set };
}

/**
 * A search form's draft of the address's filters: a field left empty is no filter, and
 * submitting hands on the filled ones, trimmed.
 */
export function useSearchDraft<S extends object>(search: S, onSearch: (next: S) => void) {
  const [draft, setDraft] = useState<S>(search);
  const set = (key: keyof S, value: string) => setDraft((d) => ({ ...d, [key]: value || undefined }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const entries = Object.entries(draft).map(([k, v]) => [k, typeof v === "string" ? v.trim() : v]);
    onSearch(Object.fromEntries(entries.filter(([, v]) => v)) as S);
  };
  return { draft, set, submit };
}

/**
 * The props that tie a field to one key of a draft: its value, its change handler, and the
 * server's message for that key (shown under the field and linked by aria-describedby).
 * `text` suits TextField and Select; `value` suits DateInput, TimeInput and MunicipalitySelect.
 */
export function bindFields<D extends object>(
  draft: D,
  set: <K extends keyof D>(key: K, value: D[K]) => void,
  errors: Errors = {},
) {
  return {
    text: <K extends StringKeys<D>>(key: K) => ({
      value: draft[key] as string,
      onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
        set(key, e.currentTarget.value as D[K]),
      error: errors[key],
    }),
    value: <K extends keyof D & string>(key: K) => ({
      value: draft[key],
      onChange: (value: D[K]) => set(key, value),
      error: errors[key],
    }),
  };
}
