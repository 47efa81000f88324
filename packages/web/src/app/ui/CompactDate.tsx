import { useTranslation } from "react-i18next";
import { formatTime, isoDate, tokyoDateTime, toWareki } from "../format.ts";

/** A date for narrow table cells: 和暦 on one line, 西暦 (and time) under it. */
export function CompactDate({ value, time = false }: { value: string | null | undefined; time?: boolean }) {
  const { t } = useTranslation("common");
  if (!value) return <span>{t("empty")}</span>;
  const local = time ? tokyoDateTime(value) : null;
  const iso = local ? isoDate(local) : value.slice(0, 10);
  const w = toWareki(iso);
  const wareki = w
    ? t("date.warekiOnly", {
        era: t(`date.era.${w.era}`),
        eraYear: w.eraYear === 1 ? t("date.firstYear") : w.eraYear,
        month: w.month,
        day: w.day,
      })
    : iso;
  return (
    <time dateTime={value} className="flex flex-col leading-tight">
      <span>{wareki}</span>
      <span className="text-dns-14N-130 text-solid-gray-700">
        {iso}
        {local ? ` ${formatTime(local)}` : ""}
      </span>
    </time>
  );
}
