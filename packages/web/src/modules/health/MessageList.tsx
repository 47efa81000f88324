import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge, type BadgeTone } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { healthApi, healthKeys, type Message, messagesQueryOptions } from "./api.ts";

const stateTone: Record<string, BadgeTone> = {
  queued: "info",
  sent: "success",
  failed: "danger",
  held: "warning",
};

/**
 * Messages to patients with what became of each: 送信待ち, 送信済 (with the time), 送信失敗 (with
 * the reason) or 未送信（開発用） when no transport is configured; staff can send one again.
 */
export function MessageList({
  caseId,
  limit = 20,
  extra,
}: {
  caseId?: string;
  limit?: number;
  extra?: (m: Message) => ReactNode;
}) {
  const { t } = useTranslation("health");
  const client = useQueryClient();
  const messages = useQuery(messagesQueryOptions(caseId, limit));
  const resend = useMutation({
    mutationFn: healthApi.resend,
    onSuccess: () => void client.invalidateQueries({ queryKey: healthKeys.messagesAll }),
  });
  const items = messages.data?.items ?? [];
  if (messages.error) return <ErrorAlert error={messages.error} />;
  if (items.length === 0) return <p className="text-std-16N-170 text-solid-gray-700">{t("messages.none")}</p>;
  return (
    <>
      <ErrorAlert error={resend.error} />
      <ul className="flex flex-col gap-3">
        {items.map((m) => (
          <li key={m.id} className="rounded-6 bg-solid-gray-50 p-3 text-dns-14N-130" data-testid="message">
            <p className="flex flex-wrap items-center gap-2 text-solid-gray-700">
              <Badge tone={stateTone[m.state] ?? "neutral"}>
                <span data-testid="message-state">{t(`messages.state.${m.state}`)}</span>
              </Badge>
              <DateTimeText value={m.sentAt ?? m.createdAt} /> · {t(`messages.kind.${m.kind}`)} ·{" "}
              {t(`messages.channel.${m.channel}`)} → {m.recipient}
            </p>
            {m.error && m.state !== "sent" ? (
              <p className="mt-1 text-red-800">{t("messages.reason", { reason: m.error })}</p>
            ) : null}
            <p className="mt-1 whitespace-pre-wrap break-all">
              {linkify(simulatedCall(m.body)?.script ?? m.body)}
            </p>
            {extra?.(m)}
            {m.kind !== "auto_call" ? (
              <Button
                size="sm"
                variant="tertiary"
                className="mt-1"
                busy={resend.isPending && resend.variables === m.id}
                onClick={() => resend.mutate(m.id)}
                data-testid="message-resend"
              >
                {t("messages.resend")}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * A call placed by the simulated telephony (development, transport.ts): the script as spoken,
 * and the call's id and answer token, which its keypad simulation needs and nobody should read.
 */
export function simulatedCall(body: string) {
  const match = /\n\[simulated\] call (\S+) answer token: (\S+)$/.exec(body);
  return match ? { script: body.slice(0, match.index), callId: match[1], token: match[2] } : null;
}

/**
 * The patient link in a message body, as text to copy and pass on, never a link: opening it here
 * would use up the patient's one-time link and sign this PC in as the patient. The demo's seeded
 * message holds it relative; it is shown on this host.
 */
function linkify(text: string) {
  const parts = text.split(/(\S*\/my\/#t=\S+)/);
  return parts.map((part, i) =>
    i % 2 === 1 ? (
      <code key={part} className="select-all break-all text-blue-1000" data-testid="patient-link">
        {new URL(part, window.location.origin).href}
      </code>
    ) : (
      part
    ),
  );
}
