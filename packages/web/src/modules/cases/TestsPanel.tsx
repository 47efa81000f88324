import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { testResults } from "#domain/codes.ts";
import type { CodeLists } from "#domain/disease/types.ts";
import { fieldErrors, isApiError } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { casesApi, type TestRecord } from "./api.ts";
import { useCodeLabel } from "./labels.ts";
import { useRecordUpdate } from "./SectionFrame.tsx";

type Draft = {
  specimenDate: string | null;
  resultDate: string | null;
  method: string;
  specimen: string;
  result: string;
  note: string;
};

const empty: Draft = {
  specimenDate: null,
  resultDate: null,
  method: "nucleic_acid",
  specimen: "",
  result: "pending",
  note: "",
};

const draftOf = (t: TestRecord): Draft => ({
  specimenDate: t.specimenDate,
  resultDate: t.resultDate,
  method: t.method,
  specimen: t.specimen ?? "",
  result: t.result,
  note: t.note ?? "",
});

const bodyOf = (d: Draft) => ({
  specimenDate: d.specimenDate,
  resultDate: d.resultDate,
  method: d.method,
  specimen: d.specimen || null,
  result: d.result,
  note: d.note || null,
});

/** 検査記録: several tests per case (specimen date, result date, method, result). */
export function TestsPanel({
  caseId,
  tests,
  editable,
  lists,
}: {
  caseId: string;
  tests: TestRecord[];
  editable: boolean;
  /** The case's disease's methods and specimens. */
  lists: CodeLists;
}) {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const updated = useRecordUpdate(caseId);
  const remove = useMutation({
    mutationFn: (test: TestRecord) => casesApi.deleteTest(caseId, test.id, test.version),
    onSuccess: () => updated(),
  });
  return (
    <div className="mt-8" data-testid="tests">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h3 className="text-std-18B-160">{t("tests.title")}</h3>
        {editable && editing === null ? (
          <Button size="sm" variant="secondary" onClick={() => setEditing("new")} data-testid="test-add">
            {t("tests.add")}
          </Button>
        ) : null}
      </div>
      <ErrorAlert error={remove.error} />
      {editing === "new" ? <TestForm caseId={caseId} lists={lists} onDone={() => setEditing(null)} /> : null}
      {tests.length === 0 ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t("tests.none")}</p>
      ) : (
        <div className="relative overflow-x-auto rounded-8 border border-solid-gray-420">
          <table className="w-full border-collapse text-left" data-testid="tests-table">
            <caption className="sr-only">{t("tests.title")}</caption>
            <thead className="bg-solid-gray-50">
              <tr className="text-dns-16B-130">
                {(["specimenDate", "resultDate", "method", "specimen", "result", "note"] as const).map(
                  (key) => (
                    <th key={key} scope="col" className="px-3 py-2">
                      {t(`field.${key}`)}
                    </th>
                  ),
                )}
                {editable ? (
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">{t("tests.actions")}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {tests.map((test) =>
                editing === test.id ? (
                  <tr key={test.id}>
                    <td colSpan={7} className="p-3">
                      <TestForm caseId={caseId} lists={lists} test={test} onDone={() => setEditing(null)} />
                    </td>
                  </tr>
                ) : (
                  <tr key={test.id} className="border-t border-solid-gray-200 text-dns-16N-130 align-top">
                    <td className="px-3 py-2 whitespace-nowrap">
                      <DateText value={test.specimenDate} />
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <DateText value={test.resultDate} />
                    </td>
                    <td className="px-3 py-2">{codeLabel(lists.diagnosisMethods, test.method)}</td>
                    <td className="px-3 py-2">{codeLabel(lists.specimens, test.specimen)}</td>
                    <td className="px-3 py-2 whitespace-nowrap">{codeLabel(testResults, test.result)}</td>
                    <td className="px-3 py-2">{test.note ?? ""}</td>
                    {editable ? (
                      <td className="px-3 py-2 whitespace-nowrap">
                        <Button size="sm" variant="tertiary" onClick={() => setEditing(test.id)}>
                          {t("form.edit")}
                        </Button>
                        <Button
                          size="sm"
                          variant="tertiary"
                          busy={remove.isPending && remove.variables?.id === test.id}
                          onClick={() => {
                            if (window.confirm(t("tests.confirmDelete"))) remove.mutate(test);
                          }}
                        >
                          {t("tests.delete")}
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function TestForm({
  caseId,
  lists,
  test,
  onDone,
}: {
  caseId: string;
  lists: CodeLists;
  test?: TestRecord;
  onDone: () => void;
}) {
  const specimensFor = (method: string) =>
    lists.diagnosisMethods.find((m) => m.code === method)?.specimens ?? [];
  const { t } = useTranslation("cases");
  const updated = useRecordUpdate(caseId);
  const { draft, setDraft, set } = useDraft<Draft>(() => (test ? draftOf(test) : empty));
  const save = useMutation({
    mutationFn: () =>
      test
        ? casesApi.updateTest(caseId, test.id, { version: test.version, ...bodyOf(draft) })
        : casesApi.addTest(caseId, bodyOf(draft)),
    onSuccess: () => {
      updated();
      onDone();
    },
  });
  const errors = fieldErrors(save.error);
  const field = bindFields(draft, set, errors);
  const allowed = specimensFor(draft.method);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      className="mb-4 flex flex-col gap-4 rounded-8 border border-solid-gray-420 p-4"
      data-testid="test-form"
    >
      {save.error && (!isApiError(save.error) || save.error.status !== 400) ? (
        <ErrorAlert error={save.error} />
      ) : null}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <Select
          label={t("field.method")}
          codes={lists.diagnosisMethods}
          {...field.text("method")}
          onChange={(e) => {
            const method = e.currentTarget.value;
            setDraft((d) => ({
              ...d,
              method,
              specimen: specimensFor(method).some((s) => s === d.specimen) ? d.specimen : "",
            }));
          }}
          data-testid="test-method"
        />
        <Select
          label={t("field.specimen")}
          placeholder={t("form.choose")}
          codes={lists.specimens.filter((s) => allowed.some((code) => code === s.code))}
          {...field.text("specimen")}
          disabled={allowed.length === 0}
          data-testid="test-specimen"
        />
        <Select
          label={t("field.result")}
          codes={testResults}
          {...field.text("result")}
          data-testid="test-result"
        />
        <DateInput
          label={t("field.specimenDate")}
          required
          {...field.value("specimenDate")}
          testId="test-specimen-date"
        />
        <DateInput label={t("field.resultDate")} {...field.value("resultDate")} testId="test-result-date" />
        <TextField label={t("field.note")} {...field.text("note")} />
      </div>
      <div className="flex gap-3">
        <Button type="submit" size="sm" busy={save.isPending} data-testid="test-save">
          {t("form.save")}
        </Button>
        <Button size="sm" variant="secondary" onClick={onDone}>
          {t("form.cancel")}
        </Button>
      </div>
    </form>
  );
}
