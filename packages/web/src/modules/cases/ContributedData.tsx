import { useTranslation } from "react-i18next";

function text(value: unknown): string {
  if (value === null || value === undefined) return "―";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * What another module's section loader put into this section, shown plainly until that module
 * registers its own panel: each key with its fields, lists as rows.
 */
export function ContributedData({ data, title }: { data: Record<string, unknown>; title: string }) {
  const { t } = useTranslation("cases");
  const entries = Object.entries(data).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return null;
  return (
    <div className="mt-8" data-testid="contributed">
      <h3 className="mb-2 text-std-18B-160">{title}</h3>
      {entries.map(([key, value]) => (
        <div key={key} className="mb-4">
          <h4 className="text-dns-16B-130 text-solid-gray-800">
            {t(`contributed.${key}`, { defaultValue: key })}
          </h4>
          {Array.isArray(value) ? (
            value.length === 0 ? (
              <p className="text-std-16N-170 text-solid-gray-700">{t("value.none")}</p>
            ) : (
              <ul className="list-disc pl-6 text-dns-14N-130">
                {value.map((item) => (
                  <li key={JSON.stringify(item)}>
                    {item && typeof item === "object"
                      ? Object.entries(item as Record<string, unknown>)
                          .map(([k, v]) => `${k}: ${text(v)}`)
                          .join("、")
                      : text(item)}
                  </li>
                ))}
              </ul>
            )
          ) : value && typeof value === "object" ? (
            <dl className="grid grid-cols-[12rem_1fr] gap-y-1 text-dns-14N-130">
              {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="font-bold text-solid-gray-700">{k}</dt>
                  <dd className="break-all">{text(v)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p>{text(value)}</p>
          )}
        </div>
      ))}
    </div>
  );
}
