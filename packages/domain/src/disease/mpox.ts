// エムポックス (mpox) as data. Source: MHLW 届出基準 as mirrored by Okayama Prefecture
// (https://tottori.pref.okayama.jp/53649.htm); specimen collection from the 厚生科学審議会
// 感染症部会 material (https://wic-net.com/material/document/3942/14).
import { defaultAlertRules, wholeCaseForm } from "./template.ts";
import type { DiseaseDefinition } from "./types.ts";

export const mpox: DiseaseDefinition = {
  code: "mpox",
  name: { ja: "エムポックス", en: "Mpox" },
  revision: 3,
  category: "category4",
  formNumber: "",
  allCasesNotified: true,
  deadline: "immediately",
  codeLists: {
    // 届出基準: ア 患者（確定例） イ 無症状病原体保有者 ウ 感染症死亡者の死体
    diagnosisClasses: ["confirmed", "asymptomatic_carrier", "deceased_confirmed"],
    clinicalTypes: [],
    // 臨床的特徴 of the 届出基準.
    symptoms: [
      { code: "rash", ja: "皮疹", en: "Skin rash" },
      { code: "mucosal_lesions", ja: "粘膜疹", en: "Mucosal lesions" },
      { code: "fever", ja: "発熱", en: "Fever" },
      { code: "headache", ja: "頭痛", en: "Headache" },
      { code: "myalgia", ja: "筋肉痛", en: "Muscle pain" },
      { code: "back_pain", ja: "背部痛", en: "Back pain" },
      { code: "sore_throat", ja: "咽頭痛", en: "Sore throat" },
      { code: "anorectal_pain", ja: "肛門直腸痛", en: "Anorectal pain" },
      { code: "fatigue", ja: "倦怠感", en: "Fatigue" },
      { code: "lymphadenopathy", ja: "リンパ節腫脹", en: "Swollen lymph nodes" },
      { code: "other", ja: "その他", en: "Other" },
      { code: "none", ja: "症状なし", en: "No symptoms" },
    ],
    diagnosisMethods: [
      {
        code: "isolation",
        ja: "分離・同定による病原体の検出",
        en: "Pathogen detection by isolation/identification",
        specimens: ["vesicle_fluid", "lesion_swab", "crust", "pharyngeal_swab", "blood", "other"],
      },
      {
        code: "nucleic_acid",
        ja: "PCR法による病原体の遺伝子の検出",
        en: "Pathogen gene detection by PCR",
        specimens: ["vesicle_fluid", "lesion_swab", "crust", "pharyngeal_swab", "blood", "other"],
      },
    ],
    specimens: [
      { code: "vesicle_fluid", ja: "水疱内容液", en: "Vesicle fluid" },
      { code: "lesion_swab", ja: "皮膚病変の拭い液（自壊組織）", en: "Swab of a broken lesion" },
      { code: "crust", ja: "痂皮", en: "Crust" },
      { code: "pharyngeal_swab", ja: "咽頭拭い液", en: "Pharyngeal swab" },
      { code: "blood", ja: "血液", en: "Blood" },
      { code: "other", ja: "その他", en: "Other" },
    ],
  },
  notificationEnded: null,
  statistics: ["case_counts"],
  notes: [
    "The 別記様式 number of the disease's form was not confirmed, so none is printed.",
    "UNCERTAIN: MHLW's 緊急性の高い症状 were written for COVID-19 home care; none for mpox was found. Asked here: the appearance items, the first breathing items and the consciousness items (severe mpox: pneumonia, encephalitis, sepsis); the cardiac and wheezing items are not.",
    "UNCERTAIN: which vaccine's history the form asks (痘そうワクチン?) was not confirmed, so the vaccination item names none.",
    "四類感染症 (サル痘, renamed エムポックス on 2023-05-26); every case is notified 直ちに.",
    "UNCERTAIN: the retrieved 届出基準 text breaks off after ウ 感染症死亡者の死体; whether 感染症死亡疑い者の死体 is also a class was not confirmed, so it is left out.",
    "UNCERTAIN: the table of test methods and materials was not retrieved; the specimens are those of MHLW's collection guidance (水疱内容液・自壊組織・痂皮) plus 咽頭拭い液 and 血液.",
    "Isolation of patients lasts until every lesion has crusted and healed, not a fixed number of days, so no patient period is set.",
  ],
  sources: [
    "https://tottori.pref.okayama.jp/53649.htm (届出基準, copy of MHLW's)",
    "https://wic-net.com/material/document/3942/14 (厚生科学審議会 感染症部会 第63回 参考資料1)",
  ],
  notificationForms: [
    wholeCaseForm("2003-11-05", {
      notes: [
        "In force since サル痘 became a 四類感染症 (2003-11-05 law revision); the name changed on 2023-05-26.",
      ],
      sources: ["https://tottori.pref.okayama.jp/53649.htm"],
    }),
  ],
  // 積極的疫学調査の対象期間. Without a rule of its own the COVID-19-shaped default applied.
  infectiousPeriods: [
    {
      validFrom: "2003-11-05",
      validTo: null,
      daysBefore: 0,
      daysAfter: 21,
      note: "感染可能期間: 発症日から、すべての皮膚病変が痂皮となり剥がれ落ちるまで（通常2〜4週間; WHO の接触者の定義）。UNCERTAIN: 終わりは発症後21日とした。発症前の感染を示す報告もあり、国内の接触者調査の指針は未確認。",
    },
  ],
  observationPeriods: [
    {
      appliesTo: "contact",
      validFrom: "2003-11-05",
      validTo: null,
      basis: "lastContactDate",
      days: 21,
      afterImprovementHours: null,
      mandatory: false,
      note: "UNCERTAIN: 21 days from the last contact (the longest incubation period is 21 days per the 届出基準); the guidance document itself was not retrieved.",
      source: "潜伏期間 通常7~14日（5~21日） (届出基準)",
    },
  ],
  alertDefaults: defaultAlertRules,
  healthQuestions: ["unable_to_eat"],
  urgentSymptoms: [
    "face_pale",
    "lips_purple",
    "unusual_behaviour",
    "rapid_breathing",
    "sudden_breathlessness",
    "breathless_on_light_activity",
    "drowsy",
    "unresponsive",
  ],
};
