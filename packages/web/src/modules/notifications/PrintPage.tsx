import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { CodeItem } from "#domain/codes.ts";
import { toWareki } from "#domain/dates.ts";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { chooseForm, formPaths } from "#domain/notification.ts";
import { isoDate, tokyoDateTime } from "../../app/format.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import "./print.css";
import { detailQueryOptions, diseaseQueryOptions, type NotificationDetail } from "./api.ts";
import { vaccinationLabel } from "./form-model.ts";
import { hasDatedForms } from "./names.ts";
import { type Cell, notificationSections, type Row, type RowItem, type Section } from "./rows.ts";

const tokyoDate = (timestamp: string) => {
  const local = tokyoDateTime(timestamp);
  return local ? isoDate(local) : null;
};

// The A4 sheet as a doctor's office files it for its records: the disease's own title and form
// number, then the items of the form in force, numbered box by box, in the order of rows.ts (the
// detail view's list), blank where nothing was filed. Choices are printed and the chosen ones
// circled. Only the sheet is printed (print.css: a stylesheet of the bundle, as the
// Content-Security-Policy allows no inline style element).

/** The doctor's name stands under the addressee, as on the official form, not among the items. */
const inHeader = new Set(["doctorName"]);

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * The rows the sheet prints: those of the items the form asks for (every item when the form is
 * not known), without the title's and the header's, and no section left empty.
 */
export function printedSections(sections: Section[], paths: readonly string[] | null): Section[] {
  const printed = ([, , item]: Row) =>
    item !== undefined &&
    !item.paths.every((p) => inHeader.has(p)) &&
    (paths === null || item.paths.some((p) => paths.some((f) => related(f, p))));
  return sections.flatMap(([title, rows]): Section[] => {
    const kept = rows.filter(printed);
    return kept.length > 0 ? [[title, kept]] : [];
  });
}

function Options({
  list,
  chosen,
  detail,
}: {
  list: readonly CodeItem[];
  chosen: readonly (string | null | undefined)[];
  /** Written after the chosen option (日本国内（東京都）). */
  detail?: string | null;
}) {
  return (
    <>
      {list.map((o) => (
        <span key={o.code}>
          <span
            className={chosen.includes(o.code) ? "opt on" : "opt"}
            data-chosen={chosen.includes(o.code) || undefined}
          >
            {o.ja}
          </span>
          {detail && chosen.includes(o.code) ? <span className="fill">（{detail}）</span> : null}
        </span>
      ))}
    </>
  );
}

/** 令和 4 年 8 月 19 日, the way the form prints dates; blanks to write one in by hand. */
function Wareki({ date }: { date: string | null | undefined }) {
  return <span className="fill">{date ? toWareki(date) : "　　年　　月　　日"}</span>;
}

function Value({ value, item }: { value: Cell; item: RowItem }) {
  if (item.options) {
    const { list, chosen, detail } = item.options;
    return <Options list={list} chosen={chosen} detail={detail} />;
  }
  if (value && typeof value === "object") return <Wareki date={value.date} />;
  if (item.date) return <Wareki date={null} />;
  return <span className="fill">{value}</span>;
}

export function Sheet({
  detail,
  def,
  sections,
  paths,
  formName,
  t,
}: {
  detail: NotificationDetail;
  def: DiseaseDefinition;
  /** notificationSections of the body, in Japanese. */
  sections: Section[];
  /** The items of the form in force (formPaths); null when the form is not known. */
  paths: readonly string[] | null;
  /** The name of the form, printed under the title where the disease had several. */
  formName: string | null;
  t: (key: string) => string;
}) {
  const n = detail.body;
  return (
    <article className="hasseitodoke mx-auto p-[4mm] shadow-2" data-testid="print-sheet">
      {def.formNumber ? <p>{def.formNumber}</p> : null}
      <h1 style={{ textAlign: "center", fontSize: "13pt", fontWeight: "bold", margin: "1mm 0" }}>
        {def.name.ja}発生届
      </h1>
      {formName ? <p style={{ textAlign: "center" }}>{formName}</p> : null}
      <p>都道府県知事（保健所設置市長・特別区長） 殿</p>
      <p>
        感染症の予防及び感染症の患者に対する医療に関する法律第１２条第１項（同条第８項において準用する場合を含む。）の規定により、以下のとおり届け出る。
      </p>
      <div style={{ marginLeft: "90mm", marginBottom: "1.5mm" }}>
        <p>
          報告年月日 <Wareki date={tokyoDate(detail.submittedAt)} />
        </p>
        <p>
          医師の氏名 <span className="fill">{n.doctorName ?? detail.filer.userName}</span>
        </p>
        <p>
          従事する病院・診療所の名称{" "}
          <span className="fill">{detail.filer.facilityName ?? detail.filer.healthCenterName}</span>
        </p>
        <p>
          上記病院・診療所の所在地 <span className="fill">{detail.filer.facilityAddress}</span>
        </p>
        <p>
          電話番号{" "}
          <span className="fill">{detail.filer.facilityPhone ?? detail.filer.healthCenterPhone}</span>
        </p>
      </div>
      {printedSections(sections, paths).map(([title, rows], i) => (
        <section key={title} className="box" data-testid="print-box">
          <h2>
            <span className="num">{i + 1}</span>
            {t(title)}
          </h2>
          <div className="items">
            {rows.map(([key, value, item]) => (
              <div key={key} className={item?.wide ? "item wide" : "item"} data-testid="print-item">
                <span className="label">{key.startsWith("field.") ? t(key) : key}</span>
                {item ? <Value value={value} item={item} /> : null}
              </div>
            ))}
          </div>
        </section>
      ))}
      <p style={{ marginTop: "1.5mm" }}>（選択肢は該当するものを○で囲み、年月日を記入すること。）</p>
      <p style={{ fontWeight: "bold" }}>
        {def.deadline === "within_7_days"
          ? "この届出は診断後7日以内に行ってください"
          : "この届出は診断後直ちに行ってください"}
      </p>
    </article>
  );
}

export function PrintPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation("notifications");
  const query = useQuery(detailQueryOptions(id));
  const disease = useQuery({
    ...diseaseQueryOptions(query.data?.body.diseaseCode ?? DEFAULT_DISEASE_CODE),
    enabled: query.data !== undefined,
  });
  if (query.isPending || disease.isPending) return <Loading />;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (disease.error) return <ErrorAlert error={disease.error} />;
  const detail = query.data;
  const def = disease.data;
  // The official form is in Japanese, whatever the screen's language.
  const ja = i18n.getFixedT("ja", "notifications");
  const body = detail.body;
  const choice = chooseForm(def, body, tokyoDate(detail.submittedAt) ?? body.diagnosisDate ?? "");
  const sections = notificationSections(body, {
    t: ja,
    lang: "ja",
    lists: def.codeLists,
    diseaseName: def.name.ja,
    vaccinationLabel: vaccinationLabel(ja, def, "ja"),
    municipalityName: (code) => detail.municipalityName ?? code,
  });
  return (
    <div className="flex flex-col gap-4">
      <div className="no-print flex flex-wrap items-center gap-3">
        <Button onClick={() => window.print()} data-testid="print">
          {t("print.print")}
        </Button>
        <Link to="/notifications/$id" params={{ id }} className="text-blue-1000 underline">
          {t("print.back")}
        </Link>
        <p className="text-dns-14N-130 text-solid-gray-700">{t("print.hint")}</p>
      </div>
      <Sheet
        detail={detail}
        def={def}
        sections={sections}
        paths={choice.ok ? formPaths(choice.form) : null}
        formName={hasDatedForms(def) && body.formVariant ? ja(`variant.${body.formVariant}`) : null}
        t={ja}
      />
    </div>
  );
}
