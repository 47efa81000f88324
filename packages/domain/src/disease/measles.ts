// 麻しん (measles) as data. Sources: MHLW 「感染症法に基づく医師の届出のお願い」 麻しん 届出基準, as
// mirrored by Okayama Prefecture (https://tottori.pref.okayama.jp/53757.htm); the 2011 form
// revision (Nikkei Medical 2011-03, urine added as a specimen; rash and fever onset dates asked).
import { defaultAlertRules, wholeCaseForm } from "./template.ts";
import type { DiseaseDefinition } from "./types.ts";

export const measles: DiseaseDefinition = {
  code: "measles",
  name: { ja: "麻しん", en: "Measles" },
  revision: 4,
  category: "category5",
  formNumber: "",
  allCasesNotified: true,
  deadline: "immediately",
  codeLists: {
    // 届出基準: ア 患者（確定例） イ 感染症死亡者の死体
    diagnosisClasses: ["confirmed", "deceased_confirmed"],
    clinicalTypes: [
      { code: "measles_laboratory", ja: "麻しん（検査診断例）", en: "Measles (laboratory-diagnosed)" },
      { code: "measles_clinical", ja: "麻しん（臨床診断例）", en: "Measles (clinically diagnosed)" },
      {
        code: "modified_measles_laboratory",
        ja: "修飾麻しん（検査診断例）",
        en: "Modified measles (laboratory-diagnosed)",
      },
    ],
    // 臨床的特徴 of the 届出基準 (カタル期・発疹期 and complications).
    symptoms: [
      { code: "fever", ja: "発熱", en: "Fever" },
      { code: "rash", ja: "発しん", en: "Rash" },
      { code: "cough", ja: "咳", en: "Cough" },
      { code: "coryza", ja: "鼻汁", en: "Runny nose" },
      { code: "conjunctival_injection", ja: "結膜充血", en: "Conjunctival injection" },
      { code: "koplik_spots", ja: "コプリック斑", en: "Koplik spots" },
      { code: "pneumonia", ja: "肺炎", en: "Pneumonia" },
      { code: "otitis_media", ja: "中耳炎", en: "Otitis media" },
      { code: "croup", ja: "クループ", en: "Croup" },
      { code: "encephalitis", ja: "脳炎", en: "Encephalitis" },
      { code: "other", ja: "その他", en: "Other" },
    ],
    diagnosisMethods: [
      {
        code: "isolation",
        ja: "分離・同定による病原体の検出",
        en: "Pathogen detection by isolation/identification",
        specimens: ["pharyngeal_swab", "blood", "urine", "csf", "other"],
      },
      {
        code: "nucleic_acid",
        ja: "検体から直接のPCR法による病原体の遺伝子の検出",
        en: "Pathogen gene detection by PCR directly from the specimen",
        specimens: ["pharyngeal_swab", "blood", "urine", "csf", "other"],
      },
      {
        code: "igm_antibody",
        ja: "抗体の検出（IgM抗体の検出）",
        en: "Antibody detection (IgM)",
        specimens: ["serum"],
      },
      {
        code: "paired_sera",
        ja: "抗体の検出（ペア血清での抗体陽転又は抗体価の有意の上昇）",
        en: "Antibody detection (seroconversion or significant rise in paired sera)",
        specimens: ["serum"],
      },
      {
        code: "clinical",
        ja: "臨床診断（検査によらない）",
        en: "Clinical diagnosis (no test)",
        specimens: [],
      },
    ],
    specimens: [
      { code: "pharyngeal_swab", ja: "咽頭拭い液", en: "Pharyngeal swab" },
      { code: "blood", ja: "血液", en: "Blood" },
      { code: "urine", ja: "尿", en: "Urine" },
      { code: "csf", ja: "髄液", en: "Cerebrospinal fluid" },
      { code: "serum", ja: "血清", en: "Serum" },
      { code: "other", ja: "その他", en: "Other" },
    ],
  },
  notificationEnded: null,
  statistics: ["case_counts"],
  notes: [
    "The 別記様式 number of the disease's form was not confirmed, so none is printed.",
    "5類感染症, 全数把握 since 2008-01-01; the 届出基準 asks for notification 直ちに. The date from which 直ちに replaced 7日以内 was not confirmed here.",
    "The symptom list follows the 届出基準's clinical features; the exact checklist of the current form (別記様式) was not retrieved.",
    "Specimens: 咽頭拭い液・血液・尿 for PCR/isolation (urine added in the 2011 revision); 髄液 as for encephalitis. Not confirmed against the current form.",
    "UNCERTAIN: MHLW's 緊急性の高い症状 (13 items) were written for COVID-19 home care; no such list for measles patients at home was found. Asked here: the appearance items, the breathing items for the complications the 届出基準 names (肺炎, クループ) and the consciousness items for 脳炎; chest pain and an irregular pulse are not asked.",
    "Vaccination: 麻しん含有ワクチン接種歴, 1回目・2回目 (the routine schedule has two doses). UNCERTAIN: the form's exact wording and its further boxes (vaccine type 麻しん単抗原・MR・MMR, lot) were not retrieved; the type goes into the product field.",
    "UNCERTAIN: a 5類 notification under Art. 12(1)(ii) carries age and sex; the name, address and phone asked here serve the health center's investigation and were not confirmed as items of the form.",
  ],
  sources: [
    "https://tottori.pref.okayama.jp/53757.htm (届出基準, copy of MHLW's)",
    "http://medical.nikkeibp.co.jp/leaf/mem/pub/hotnews/int/201103/518725.html",
    "https://khosp.or.jp/?p=10692 (検体: 咽頭ぬぐい液・血液・尿)",
  ],
  notificationForms: [
    wholeCaseForm("2008-01-01", {
      required: ["clinicalType"],
      optional: ["diagnosis.specimen", "diagnosis.specimenDate", "diagnosis.result"],
      notes: [
        "病型 (検査診断例・臨床診断例・修飾麻しん) is required; vaccination history (1回目・2回目) is asked.",
      ],
      sources: ["https://tottori.pref.okayama.jp/53757.htm"],
    }),
  ],
  // 積極的疫学調査の対象期間. Without a rule of its own the COVID-19-shaped default applied.
  infectiousPeriods: [
    {
      validFrom: "2008-01-01",
      validTo: null,
      daysBefore: 1,
      daysAfter: 10,
      note: "感染可能期間: 発症日の前日から解熱後3日を経過するまで（国立感染症研究所「医療機関での麻疹対応ガイドライン」の接触者の定義）。UNCERTAIN: 解熱日は記録されないため、終わりは発症後10日（発疹は発症3〜4日目、発疹後の発熱3〜4日、その後3日）とした。",
    },
  ],
  observationPeriods: [
    {
      appliesTo: "contact",
      validFrom: "2008-01-01",
      validTo: null,
      basis: "lastContactDate",
      days: 21,
      afterImprovementHours: null,
      mandatory: false,
      note: "UNCERTAIN: contacts are watched for the longest incubation period (about 21 days from the last contact); the exact guidance was not retrieved.",
      source:
        "潜伏期間 10–12日 (届出基準); 接触者の健康観察は最終接触より21日間 as a prefecture practises it (鳥取県 press release of 2019-11-16, http://db.pref.tottori.jp/pressrelease.nsf/5725f7416e09e6da492573cb001f7512/5F8B846A4FC76FF7492584B400006EF9?OpenDocument)",
    },
  ],
  alertDefaults: defaultAlertRules,
  healthQuestions: ["unable_to_eat", "impaired_consciousness"],
  urgentSymptoms: [
    "face_pale",
    "lips_purple",
    "unusual_behaviour",
    "rapid_breathing",
    "sudden_breathlessness",
    "breathless_on_light_activity",
    "cannot_lie_down",
    "shoulder_breathing",
    "sudden_wheezing",
    "drowsy",
    "unresponsive",
  ],
  vaccination: { vaccine: { ja: "麻しん含有ワクチン", en: "Measles-containing vaccine" }, doses: 2 },
};
