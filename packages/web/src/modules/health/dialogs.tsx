import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { alertRules, type Lang, label, urgentSymptoms } from "#domain/codes.ts";
import { foldKana } from "#domain/kana.ts";
import { fieldErrors } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { inputClass, TextArea } from "../../app/ui/TextField.tsx";
import { type HealthStatusItem, healthApi, healthKeys, type LinkChannel } from "./api.ts";
import { type ReportBody, ReportForm } from "./ReportForm.tsx";

export type HealthAction = "ack" | "phone" | "link" | "autoCall" | "end";

function useDone(onClose: () => void) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: healthKeys.all });
    onClose();
  };
}

function NoteField({ value, onChange, id }: { value: string; onChange: (v: string) => void; id: string }) {
  const { t } = useTranslation("health");
  return (
    <TextArea
      id={id}
      label={t("dialog.note")}
      maxLength={1000}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data-testid="note"
    />
  );
}

/** アラート対応: acknowledge every open alert of the person, with one note. */
function AckDialog({ item, onClose }: { item: HealthStatusItem; onClose: () => void }) {
  const { t, i18n } = useTranslation("health");
  const [note, setNote] = useState("");
  const done = useDone(onClose);
  const ack = useMutation({
    mutationFn: async () => {
      for (const alert of item.alerts) await healthApi.ack(alert.id, note);
    },
    onSuccess: done,
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("dialog.ack.title", { name: item.nameKanji || item.nameKana })}
      dismissable={!ack.isPending}
      footer={
        <DialogActions
          onCancel={onClose}
          onClick={() => ack.mutate()}
          busy={ack.isPending}
          data-testid="ack-confirm"
        >
          {t("dialog.ack.confirm")}
        </DialogActions>
      }
    >
      {/* What raised them, so the nurse calls knowing the numbers. */}
      <ul className="mb-3 list-disc pl-6 text-std-16N-170" data-testid="ack-alerts">
        {item.alerts.map((a) => (
          <li key={a.id}>
            {label(alertRules, a.rule, i18n.language as Lang)}（<DateTimeText value={a.createdAt} />）
          </li>
        ))}
      </ul>
      {item.latest ? (
        <p className="mb-4 text-std-16N-170" data-testid="ack-latest">
          {t("dialog.ack.latest")}（<DateTimeText value={item.latest.measuredAt} />
          ）:{" "}
          {[
            `${item.latest.bodyTemperature.toFixed(1)}℃`,
            item.latest.spo2 === null ? null : `SpO2 ${item.latest.spo2}%`,
            ...item.latest.urgentSymptoms.map((u) => label(urgentSymptoms, u, i18n.language as Lang)),
          ]
            .filter(Boolean)
            .join("・")}
          {item.latest.note ? `／${t("dialog.ack.patientNote")}: ${item.latest.note}` : ""}
        </p>
      ) : null}
      <NoteField id="ack-note" value={note} onChange={setNote} />
      {ack.isError ? <ErrorAlert error={ack.error} className="mt-4" /> : null}
    </Dialog>
  );
}

/** 電話での聞き取り: the patient's form, entered by staff (channel: phone). */
function PhoneReportDialog({ item, onClose }: { item: HealthStatusItem; onClose: () => void }) {
  const { t } = useTranslation("health");
  const done = useDone(onClose);
  // One key per dialog: a double click or a retry after a timeout stores one report.
  const [key] = useState(() => crypto.randomUUID());
  const save = useMutation({
    mutationFn: (body: ReportBody) => healthApi.phoneReport(item.caseId, body, key),
    onSuccess: done,
  });
  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={t("dialog.phone.title", { name: item.nameKanji || item.nameKana })}
      dismissable={!save.isPending}
    >
      <ReportForm
        ns="health"
        questions={item.questions}
        checklist={item.urgentChecklist}
        initialTemperature={item.latest?.bodyTemperature}
        busy={save.isPending}
        serverErrors={fieldErrors(save.error)}
        submitLabel={t("dialog.phone.submit")}
        onSubmit={(body) => save.mutate(body)}
      />
      {save.isError ? <ErrorAlert error={save.error} className="mt-4" /> : null}
    </Dialog>
  );
}

// The patient app's languages, each in its own script (the patient reads the first message).
const patientLanguages = [
  ["ja", "日本語"],
  ["en", "English"],
  ["zh", "中文"],
  ["ko", "한국어"],
  ["vi", "Tiếng Việt"],
  ["ne", "नेपाली"],
  ["pt", "Português"],
  ["tl", "Tagalog"],
] as const;

/** 本人入力用リンクの発行: sent by SMS (or e-mail) through the message outbox. */
function LinkDialog({
  item,
  candidates,
  onClose,
}: {
  item: HealthStatusItem;
  candidates: HealthStatusItem[];
  onClose: () => void;
}) {
  const { t } = useTranslation("health");
  const client = useQueryClient();
  const [household, setHousehold] = useState<string[]>([]);
  const [search, setSearch] = useState("");
  const [channel, setChannel] = useState<LinkChannel | "">("");
  const [language, setLanguage] = useState("ja");
  const issue = useMutation({
    mutationFn: () => healthApi.issueLink(item.caseId, household, channel || undefined, language),
    onSuccess: () => void client.invalidateQueries({ queryKey: healthKeys.messagesAll }),
  });
  // 同居家族: people under observation here, found by name (kanji, katakana or hiragana), who
  // will report on the same phone; never the patient herself.
  const query = foldKana(search.normalize("NFKC").replace(/\s/g, ""));
  const matches = query
    ? candidates
        .filter(
          (c) => c.caseId !== item.caseId && c.nameKana !== item.nameKana && !household.includes(c.caseId),
        )
        .filter((c) => foldKana(`${c.nameKanji}${c.nameKana}`.replace(/\s/g, "")).includes(query))
        .slice(0, 6)
    : [];
  const chosen = candidates.filter((c) => household.includes(c.caseId));
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("dialog.link.title", { name: item.nameKanji || item.nameKana })}
      description={t("dialog.link.description")}
      footer={
        <DialogActions
          onCancel={onClose}
          done={issue.isSuccess}
          onClick={() => issue.mutate()}
          busy={issue.isPending}
          data-testid="link-confirm"
        >
          {channel === "none" ? t("dialog.link.confirmIssueOnly") : t("dialog.link.confirm")}
        </DialogActions>
      }
    >
      {issue.isSuccess ? (
        <div className="flex flex-col gap-2" data-testid="link-result">
          <p className="text-std-16N-170" data-testid="link-delivery">
            {issue.data.delivery === "queued"
              ? t("dialog.link.sent")
              : issue.data.delivery === "held"
                ? t("dialog.link.held", { channel: t(`messages.channel.${channel || "sms"}`) })
                : channel === "none"
                  ? t("dialog.link.notSentChosen")
                  : t("dialog.link.notSent")}
          </p>
          <input
            readOnly
            value={issue.data.url}
            className={inputClass}
            aria-label={t("dialog.link.url")}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      ) : (
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <Select
              label={t("dialog.link.channel")}
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value as LinkChannel | "")}
              placeholder={t("dialog.link.channelAuto")}
              options={[
                { value: "sms", label: t("messages.channel.sms") },
                { value: "email", label: t("messages.channel.email") },
                { value: "none", label: t("dialog.link.channelNone") },
              ]}
              data-testid="link-channel"
            />
            <Select
              label={t("dialog.link.language")}
              value={language}
              onChange={(e) => setLanguage(e.currentTarget.value)}
              options={patientLanguages.map(([value, label]) => ({ value, label }))}
              data-testid="link-language"
            />
          </div>
          <fieldset className="flex flex-col gap-2" data-testid="household">
            <legend className="text-std-16B-170">{t("dialog.link.household")}</legend>
            <p className="text-dns-14N-130 text-solid-gray-700">{t("dialog.link.householdHint")}</p>
            {chosen.map((c) => (
              <label key={c.caseId} className="flex items-center gap-2 text-std-16N-170">
                <input
                  type="checkbox"
                  checked
                  className="size-5 accent-blue-900"
                  onChange={() => setHousehold((h) => h.filter((id) => id !== c.caseId))}
                />
                {c.nameKanji || c.nameKana}
              </label>
            ))}
            <input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              placeholder={t("dialog.link.householdSearch")}
              aria-label={t("dialog.link.householdSearch")}
              className={inputClass}
            />
            {matches.map((c) => (
              <label key={c.caseId} className="flex items-center gap-2 text-std-16N-170">
                <input
                  type="checkbox"
                  checked={false}
                  className="size-5 accent-blue-900"
                  onChange={() => {
                    setHousehold((h) => [...h, c.caseId]);
                    setSearch("");
                  }}
                />
                {c.nameKanji || c.nameKana}（{c.nameKana}）
              </label>
            ))}
          </fieldset>
        </div>
      )}
      {issue.isError ? <ErrorAlert error={issue.error} /> : null}
    </Dialog>
  );
}

/** 自動架電 and 療養解除: a confirmation, then the call. */
function ConfirmDialog({
  item,
  action,
  onClose,
}: {
  item: HealthStatusItem;
  action: "autoCall" | "end";
  onClose: () => void;
}) {
  const { t } = useTranslation("health");
  const [note, setNote] = useState("");
  const done = useDone(onClose);
  const run = useMutation({
    mutationFn: () =>
      action === "end" ? healthApi.endObservation(item.caseId, note) : healthApi.autoCall(item.caseId),
    onSuccess: done,
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t(`dialog.${action}.title`, { name: item.nameKanji || item.nameKana })}
      description={t(`dialog.${action}.description`)}
      dismissable={!run.isPending}
      footer={
        <DialogActions
          onCancel={onClose}
          variant={action === "end" ? "danger" : "primary"}
          onClick={() => run.mutate()}
          busy={run.isPending}
          data-testid={`${action}-confirm`}
        >
          {t(`dialog.${action}.confirm`)}
        </DialogActions>
      }
    >
      {action === "end" ? <NoteField id="end-note" value={note} onChange={setNote} /> : null}
      {run.isError ? <ErrorAlert error={run.error} className="mt-4" /> : null}
    </Dialog>
  );
}

export function HealthActionDialog({
  action,
  item,
  candidates,
  onClose,
}: {
  action: HealthAction;
  item: HealthStatusItem;
  /** The people listed: household members are chosen from them. */
  candidates: HealthStatusItem[];
  onClose: () => void;
}) {
  switch (action) {
    case "ack":
      return <AckDialog item={item} onClose={onClose} />;
    case "phone":
      return <PhoneReportDialog item={item} onClose={onClose} />;
    case "link":
      return <LinkDialog item={item} candidates={candidates} onClose={onClose} />;
    case "autoCall":
    case "end":
      return <ConfirmDialog item={item} action={action} onClose={onClose} />;
  }
}
