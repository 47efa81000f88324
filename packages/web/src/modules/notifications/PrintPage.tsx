import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  type CodeItem,
  diagnosisClasses,
  infectionCertainties,
  infectionModes,
  infectionRoutes,
  label,
  prefectures,
  riskFactors,
  severities,
  testResults,
} from "#domain/codes.ts";
import { toWareki } from "#domain/dates.ts";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import { formatPostalCode } from "#domain/kana.ts";
import { formPaths } from "#domain/notification.ts";
import { isoDate, tokyoDateTime } from "../../app/format.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { detailQueryOptions, diseaseQueryOptions, type NotificationDetail } from "./api.ts";
import { countryName } from "./names.ts";
import "./print.css";

const tokyoDate = (timestamp: string) => {
  const local = tokyoDateTime(timestamp);
  return local ? isoDate(local) : null;
};

// The A4 sheet follows the layout of 別記様式６－１: numbered boxes 1–19, options printed and the
// chosen ones circled, as a doctor's office files it for its records. The disease's definition
// gives the title, the deadline and the options. Only the sheet is printed. Its styles are a
// stylesheet file: the content security policy refuses inline <style> (the sheet printed bare,
// chosen options not circled).

function Options({
  list,
  chosen,
}: {
  list: readonly CodeItem[];
  chosen: readonly (string | null | undefined)[];
}) {
  return (
    <>
      {list.map((o) => (
        <span
          key={o.code}
          className={chosen.includes(o.code) ? "opt on" : "opt"}
          data-chosen={chosen.includes(o.code) || undefined}
        >
          {o.ja}
        </span>
      ))}
    </>
  );
}

function YesNo({ value }: { value: boolean | null | undefined }) {
  return (
    <>
      （<span className={value === true ? "opt on" : "opt"}>有</span>・
      <span className={value === false ? "opt on" : "opt"}>無</span>）
    </>
  );
}

/** 令和 4 年 8 月 19 日, the way the form prints dates. */
function Wareki({ date }: { date: string | null | undefined }) {
  return <span className="fill">{date ? toWareki(date) : "　　年　　月　　日"}</span>;
}

function Box({
  n,
  title,
  children,
  colSpan,
}: {
  n: string;
  title: string;
  children?: ReactNode;
  colSpan?: number;
}) {
  return (
    <td colSpan={colSpan}>
      <span className="num">{n}</span>
      {title}
      <div>{children}</div>
    </td>
  );
}

function Sheet({ detail, def }: { detail: NotificationDetail; def: DiseaseDefinition }) {
  const n = detail.body;
  const lists = def.codeLists;
  const p = n.patient;
  const methods = [n.diagnosis, ...(n.additionalDiagnoses ?? [])].filter((d) => d?.method);
  const address = p.address
    ? `${label(prefectures, p.address.prefectureCode ?? "")}${detail.municipalityName ?? p.address.municipalityCode}${p.address.line ?? ""}`
    : "";
  const age = detail.ageAtDiagnosis;
  const dose = (i: number) => n.vaccinations?.find((v) => v.dose === i);
  // Items no form of the disease asks for (COVID-19's risk factors on a measles sheet) are left off.
  const paths = def.notificationForms.flatMap(formPaths);
  const asks = (item: string) => paths.some((p) => p === item || p.startsWith(`${item}.`));
  return (
    <article className="hasseitodoke mx-auto p-[4mm] shadow-2" data-testid="print-sheet">
      {def.formNumber ? <p>{def.formNumber}</p> : null}
      <h1 style={{ textAlign: "center", fontSize: "13pt", fontWeight: "bold", margin: "1mm 0" }}>
        {def.name.ja} 発生届
      </h1>
      <p>都道府県知事（保健所設置市長・特別区長） 殿</p>
      <p>
        感染症の予防及び感染症の患者に対する医療に関する法律第１２条第１項（同条第８項において準用する場合を含む。）の規定により、以下のとおり届け出る。
      </p>
      <div style={{ marginLeft: "90mm" }}>
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
      <table>
        <tbody>
          <tr>
            <Box n="1" title="診断（検案）した者（死体）の類型" colSpan={6}>
              <Options
                list={diagnosisClasses.filter((c) => lists.diagnosisClasses.includes(c.code))}
                chosen={[n.diagnosisClass]}
              />
              {lists.clinicalTypes.length > 0 ? (
                <div>
                  病型：
                  <Options list={lists.clinicalTypes} chosen={[n.clinicalType]} />
                </div>
              ) : null}
            </Box>
          </tr>
          <tr>
            <Box n="2" title="当該者氏名（フリガナ）" colSpan={2}>
              <span className="fill">{p.nameKanji}</span>（{p.nameKana}）
            </Box>
            <Box n="3" title="性別">
              <span className={p.sex === "male" ? "opt on" : "opt"}>男</span>・
              <span className={p.sex === "female" ? "opt on" : "opt"}>女</span>
            </Box>
            <Box n="4" title="生年月日">
              <Wareki date={p.birthDate} />
            </Box>
            <Box n="5" title="診断時の年齢(0歳は月齢)">
              <span className="fill">
                {age ? (age.years === 0 ? `0歳（${age.months}か月）` : `${age.years}歳`) : ""}
              </span>
            </Box>
            <Box n="6" title="当該者職業">
              <span className="fill">{n.occupation}</span>
            </Box>
          </tr>
          <tr>
            <Box n="7" title="当該者住所" colSpan={4}>
              {p.postalCode ? `〒${formatPostalCode(p.postalCode)} ` : ""}
              <span className="fill">{address}</span>
            </Box>
            <Box n="" title="電話" colSpan={2}>
              <span className="fill">{p.phone}</span>
              {p.email ? <div className="fill">{p.email}</div> : null}
            </Box>
          </tr>
          <tr>
            <Box n="8" title="当該者所在地" colSpan={4}>
              <span className="fill">{n.currentLocation?.address}</span>
            </Box>
            <Box n="" title="電話" colSpan={2}>
              <span className="fill">{n.currentLocation?.phone}</span>
            </Box>
          </tr>
          <tr>
            <Box n="9" title="保護者氏名" colSpan={2}>
              <span className="fill">{n.guardian?.name}</span>
            </Box>
            <Box n="10" title="保護者住所（９、１０は患者が未成年の場合のみ記入）" colSpan={4}>
              <span className="fill">{n.guardian?.address}</span> 電話{" "}
              <span className="fill">{n.guardian?.phone}</span>
            </Box>
          </tr>
        </tbody>
      </table>
      <table style={{ marginTop: "-0.3mm" }}>
        <tbody>
          <tr>
            <td style={{ width: "50%" }}>
              <span className="num">11</span>症状
              <div>
                <Options
                  list={lists.symptoms.filter((s) => s.code !== "other" && s.code !== "none")}
                  chosen={n.symptoms ?? []}
                />
                {asks("spo2RoomAir") ? (
                  <div>
                    酸素飽和度（室内気）：<span className="fill">{n.spo2RoomAir ?? "　"}</span>％
                  </div>
                ) : null}
                <span className={n.symptoms?.includes("other") ? "opt on" : "opt"}>その他</span>（
                <span className="fill">{n.symptomsOther}</span>）
                {lists.symptoms.some((s) => s.code === "none") ? (
                  <span className={n.symptoms?.includes("none") ? "opt on" : "opt"}>症状なし</span>
                ) : null}
              </div>
            </td>
            <td rowSpan={3}>
              <span className="num">18</span>感染原因・感染経路・感染地域
              <div>
                ①感染原因・感染経路（
                <Options list={infectionCertainties} chosen={[n.infection?.certainty]} />）
                <div>
                  <Options list={infectionModes} chosen={[n.infection?.mode]} />
                  <div>
                    感染源の種類・状況等：<span className="fill">{n.infection?.detail}</span>
                  </div>
                  <div>
                    感染経路の分類：
                    <span className="fill">{label(infectionRoutes, n.infection?.route ?? "")}</span>
                    　感染リンク：
                    <span className="fill">
                      {n.infection?.linkKnown === true ? "有" : n.infection?.linkKnown === false ? "無" : ""}
                    </span>
                  </div>
                </div>
                ②感染地域
                <div>
                  <span className={n.infection?.region === "domestic" ? "opt on" : "opt"}>日本国内</span>（
                  <span className="fill">{label(prefectures, n.infection?.prefectureCode ?? "")}</span>）
                  <span className={n.infection?.region === "overseas" ? "opt on" : "opt"}>国外</span>（
                  <span className="fill">
                    {n.infection?.region === "overseas" && n.infection.country
                      ? countryName(n.infection.country, "ja")
                      : ""}
                  </span>
                  ）
                </div>
                <div>
                  渡航期間（出国日 <Wareki date={n.travel?.departureDate} />
                  ・入国日 <Wareki date={n.travel?.entryDate} />）
                </div>
                ③{def.vaccination?.vaccine.ja ?? "ワクチン"}接種歴
                {Array.from({ length: def.vaccination?.doses ?? 3 }, (_, k) => k + 1).map((i) => (
                  <div key={i}>
                    {i}回目 <span className={dose(i)?.status === "yes" ? "opt on" : "opt"}>有</span>・
                    <span className={dose(i)?.status === "no" ? "opt on" : "opt"}>無</span>・
                    <span className={dose(i)?.status === "unknown" ? "opt on" : "opt"}>不明</span> 種類{" "}
                    <span className="fill">{dose(i)?.product}</span> 接種年月日{" "}
                    <Wareki date={dose(i)?.date} />
                  </div>
                ))}
              </div>
              <div style={{ borderTop: "0.3mm solid #000", marginTop: "1.5mm", paddingTop: "1mm" }}>
                <span className="num">19</span>
                その他感染症のまん延の防止及び当該者の医療のために医師が必要と認める事項
                <div>
                  ・届出時点の入院の有無 <YesNo value={n.hospitalizedAtNotification} /> 入院年月日{" "}
                  <Wareki date={n.admissionDate} />
                </div>
                {asks("riskFactors") ? (
                  <div>
                    ・重症化のリスク因子となる疾患等の有無{" "}
                    <YesNo value={n.riskFactors ? n.riskFactors.length > 0 : null} />
                    <div>
                      <Options list={riskFactors} chosen={n.riskFactors ?? []} />（
                      <span className="fill">{n.riskFactorsOther}</span>）
                    </div>
                  </div>
                ) : null}
                {asks("immunocompromised") ? (
                  <div>
                    ・免疫の機能が低下しているおそれ <YesNo value={n.immunocompromised} />
                  </div>
                ) : null}
                {asks("pregnant") ? (
                  <div>
                    ・妊娠の有無 <YesNo value={n.pregnant} />
                  </div>
                ) : null}
                {asks("severity") ? (
                  <div>
                    ・重症度 <Options list={severities} chosen={[n.severity]} />
                  </div>
                ) : null}
                {asks("admissionNeeded") ? (
                  <div>
                    ・入院の必要性の有無 <YesNo value={n.admissionNeeded} />
                  </div>
                ) : null}
                {asks("therapeuticNeeded") || asks("oxygenNeeded") ? (
                  <div>
                    ・治療薬の投与の必要性 <YesNo value={n.therapeuticNeeded} /> ・酸素投与の必要性{" "}
                    <YesNo value={n.oxygenNeeded} />
                  </div>
                ) : null}
                {asks("telemedicine") ? (
                  <div>
                    ・電話や情報通信機器を用いた診療の有無 <YesNo value={n.telemedicine} />
                  </div>
                ) : null}
                {n.note ? (
                  <div>
                    備考：<span className="fill">{n.note}</span>
                  </div>
                ) : null}
              </div>
            </td>
          </tr>
          <tr>
            <td>
              <span className="num">12</span>診断方法
              {(methods.length > 0 ? methods : [n.diagnosis]).map((d) => (
                <div key={[d?.method, d?.specimen, d?.specimenDate, d?.result].join("|")}>
                  <Options
                    list={lists.diagnosisMethods.filter(
                      (m) => m.specimens.length > 0 || m.code === d?.method,
                    )}
                    chosen={[d?.method]}
                  />
                  <div>
                    検体：
                    <span className="fill">
                      {d?.specimen ? label(lists.specimens, d.specimen) : ""}
                      {d?.specimenOther ? `（${d.specimenOther}）` : ""}
                    </span>
                    　検体採取日 <Wareki date={d?.specimenDate} />
                    　結果{" "}
                    <Options list={testResults.filter((r) => r.code !== "pending")} chosen={[d?.result]} />）
                  </div>
                </div>
              ))}
            </td>
          </tr>
          <tr>
            <td>
              <div>
                <span className="num">13</span>初診年月日 <Wareki date={n.firstVisitDate} />
              </div>
              <div>
                <span className="num">14</span>診断（検案）年月日 <Wareki date={n.diagnosisDate} />
              </div>
              <div>
                <span className="num">15</span>感染したと推定される年月日{" "}
                <Wareki date={n.estimatedInfectionDate} />
              </div>
              <div>
                <span className="num">16</span>発病年月日 <Wareki date={n.onsetDate} />
              </div>
              <div>
                <span className="num">17</span>死亡年月日 <Wareki date={n.deathDate} />
              </div>
            </td>
          </tr>
        </tbody>
      </table>
      <p style={{ marginTop: "1.5mm" }}>
        （1，3，11，12，18欄は該当する番号等を○で囲み、4，5，13から17欄は年齢、年月日を記入すること。）
      </p>
      <p style={{ fontWeight: "bold" }}>
        {def.deadline === "within_7_days"
          ? "この届出は診断後7日以内に行ってください"
          : "この届出は診断後直ちに行ってください"}
      </p>
    </article>
  );
}

export function PrintPage({ id }: { id: string }) {
  const { t } = useTranslation("notifications");
  const query = useQuery(detailQueryOptions(id));
  const disease = useQuery({
    ...diseaseQueryOptions(query.data?.body.diseaseCode ?? DEFAULT_DISEASE_CODE),
    enabled: query.data !== undefined,
  });
  if (query.isPending || disease.isPending) return <Loading />;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (disease.error) return <ErrorAlert error={disease.error} />;
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
      <Sheet detail={query.data} def={disease.data} />
    </div>
  );
}
