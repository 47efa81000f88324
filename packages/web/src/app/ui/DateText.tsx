import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { formatTime, isoDate, parseIsoDate, tokyoDateTime, toWareki } from "../format.ts";

/** 和暦 part only: `令和4年8月19日` / `Aug 19, Reiwa 4`; null when the date has no 和暦. */
export function useFormatWareki(): (iso: string) => string | null {
  const { t } = useTranslation("common");
  return warekiFormatter(t);
}

// Shared by the hook and the components below, which ask for `t` once (tables show hundreds).
function warekiFormatter(t: TFunction<"common">) {
  return (iso: string) => {
    const wareki = toWareki(iso);
    if (!wareki) return null;
    return t("date.warekiOnly", {
      era: t(`date.era.${wareki.era}`),
      eraYear: wareki.eraYear === 1 ? t("date.firstYear") : String(wareki.eraYear),
      month: wareki.month,
      monthName: t(`date.month.${wareki.month}`),
      day: wareki.day,
    });
  };
}

/** `令和4年8月19日 (2022-08-19)` in Japanese, `Aug 19, Reiwa 4 (2022-08-19)` in English. */
export function useFormatDate(): (iso: string) => string {
  const wareki = useFormatWareki();
  const { t } = useTranslation("common");
  return (iso: string) => {
    const w = wareki(iso);
    return w ? t("date.wareki", { wareki: w, iso }) : iso;
  };
}

const nowrap = "whitespace-nowrap";

/**
 * A calendar date (`YYYY-MM-DD`, Asia/Tokyo) in 和暦 and 西暦: 令和4年8月19日 (2022-08-19).
 * Shows a dash for no date. Lines break only between the two forms.
 */
export function DateText({ value, className }: { value: string | null | undefined; className?: string }) {
  const { t } = useTranslation("common");
  const wareki = warekiFormatter(t);
  if (!value) return <span className={className}>{t("empty")}</span>;
  if (!parseIsoDate(value)) return <span className={className}>{value}</span>;
  const w = wareki(value);
  return (
    <time dateTime={value} className={className}>
      {w ? (
        <>
          <span className={nowrap}>{w}</span> <span className={nowrap}>({value})</span>
        </>
      ) : (
        value
      )}
    </time>
  );
}

/** A timestamp as its Asia/Tokyo date (和暦 and 西暦) and time: 令和4年8月19日 (2022-08-19) 10:05. */
export function DateTimeText({ value, className }: { value: string | null | undefined; className?: string }) {
  const { t } = useTranslation("common");
  const wareki = warekiFormatter(t);
  if (!value) return <span className={className}>{t("empty")}</span>;
  const local = tokyoDateTime(value);
  if (!local) return <span className={className}>{value}</span>;
  const iso = isoDate(local);
  const w = wareki(iso);
  return (
    <time dateTime={value} className={className}>
      {w ? (
        <>
          <span className={nowrap}>{w}</span> <span className={nowrap}>({iso})</span>{" "}
        </>
      ) : (
        `${iso} `
      )}
      <span className={nowrap}>{formatTime(local)}</span>
    </time>
  );
}
