// 百日咳 (pertussis) as data. Source: MHLW 「感染症法に基づく医師の届出のお願い」 21 百日咳
// (https://www.mhlw.go.jp/bunya/kenkou/kekkaku-kansenshou11/01-05-23.html): notified within 7
// days; 全数把握 from 2018-01-01 (before that, pediatric sentinel sites only).
import { defaultAlertRules, wholeCaseForm } from "./template.ts";
import type { DiseaseDefinition } from "./types.ts";

export const pertussis: DiseaseDefinition = {
  code: "pertussis",
  name: { ja: "百日咳", en: "Pertussis" },
  revision: 3,
  category: "category5",
  formNumber: "",
  allCasesNotified: true,
  deadline: "within_7_days",
  codeLists: {
    // 届出基準: 患者（確定例）, 感染症死亡者の死体
    diagnosisClasses: ["confirmed", "deceased_confirmed"],
    clinicalTypes: [],
    // 臨床的特徴 of the 届出基準.
    symptoms: [
      { code: "persistent_cough", ja: "持続する咳", en: "Persistent cough" },
      { code: "paroxysmal_cough", ja: "発作性の咳込み", en: "Paroxysmal cough" },
      { code: "whoop", ja: "吸気性笛声（ウープ）", en: "Inspiratory whoop" },
      { code: "post_tussive_vomiting", ja: "咳込み後の嘔吐", en: "Vomiting after coughing" },
      { code: "apnea", ja: "無呼吸発作", en: "Apnoea" },
      { code: "pneumonia", ja: "肺炎", en: "Pneumonia" },
      { code: "encephalopathy", ja: "脳症", en: "Encephalopathy" },
      { code: "other", ja: "その他", en: "Other" },
    ],
    diagnosisMethods: [
      {
        code: "isolation",
        ja: "分離・同定による病原体の検出",
        en: "Pathogen detection by isolation/identification",
        specimens: ["nasopharyngeal_swab", "pharyngeal_swab", "sputum", "other"],
      },
      {
        code: "nucleic_acid",
        ja: "核酸増幅法（PCR法・LAMP法など）による病原体の遺伝子の検出",
        en: "Pathogen gene detection by nucleic-acid amplification (PCR, LAMP)",
        specimens: ["nasopharyngeal_swab", "pharyngeal_swab", "sputum", "other"],
      },
      {
        code: "antibody",
        ja: "抗体の検出（抗PT-IgG抗体、IgM・IgA抗体）",
        en: "Antibody detection (anti-PT IgG, IgM, IgA)",
        specimens: ["serum"],
      },
      {
        code: "epidemiological_link",
        ja: "検査確定例との接触（臨床的特徴あり）",
        en: "Contact with a laboratory-confirmed case (with clinical features)",
        specimens: [],
      },
    ],
    specimens: [
      { code: "nasopharyngeal_swab", ja: "後鼻腔拭い液", en: "Nasopharyngeal swab" },
      { code: "pharyngeal_swab", ja: "咽頭拭い液", en: "Pharyngeal swab" },
      { code: "sputum", ja: "喀痰", en: "Sputum" },
      { code: "serum", ja: "血清", en: "Serum" },
      { code: "other", ja: "その他", en: "Other" },
    ],
  },
  notificationEnded: null,
  statistics: ["case_counts"],
  notes: [
    "The 別記様式 number of the disease's form was not confirmed, so none is printed.",
    "五類感染症, 全数把握 from 2018-01-01, notified within 7 days.",
    "A case with the clinical features who had contact with a laboratory-confirmed case needs no test (届出基準); `epidemiological_link` records that.",
    "UNCERTAIN: the (4) table of test methods and materials was not retrieved; methods follow the clinical guideline cited by the MHLW page (culture, PCR/LAMP, serology).",
    "UNCERTAIN: MHLW's 緊急性の高い症状 were written for COVID-19 home care; none for pertussis was found. Asked here: the appearance items (cyanosis in coughing fits), the breathing items of fits and apnoea in infants, and the consciousness items for 脳症; apnoea itself is not one of the 13 items and is not added.",
    "UNCERTAIN: vaccination history as 百日せき含有ワクチン (DPT-IPV etc.), 1回目–4回目 as in the routine schedule; the form's wording was not retrieved.",
    "UNCERTAIN: a 5類 notification carries age and sex by law; the name, address and phone asked here serve the health center and were not confirmed as form items.",
  ],
  sources: [
    "https://www.mhlw.go.jp/bunya/kenkou/kekkaku-kansenshou11/01-05-23.html",
    "https://www.harmonista.org/medical_top/links/pertussis",
  ],
  notificationForms: [
    wholeCaseForm("2018-01-01", {
      notes: ["全数把握 started on 2018-01-01."],
      sources: ["https://www.mhlw.go.jp/bunya/kenkou/kekkaku-kansenshou11/01-05-23.html"],
    }),
  ],
  // 積極的疫学調査の対象期間. Without a rule of its own the COVID-19-shaped default applied.
  infectiousPeriods: [
    {
      validFrom: "2018-01-01",
      validTo: null,
      daysBefore: 7,
      daysAfter: 21,
      note: "感染可能期間: 咳の出始める約1週間前から咳の開始後約3週間（AAP Red Book 2024–2027 による解説: ubie.app/byoki_qa/clinical-questions/93v_9tmlx2n、宮城県立こども病院監修）。適切な抗菌薬の開始後5日で感染性は大きく下がる（学校保健安全法の出席停止も同じ基準）。UNCERTAIN: 厚生労働省・国立感染症研究所の接触者調査の指針は未確認。",
    },
  ],
  observationPeriods: [],
  alertDefaults: defaultAlertRules,
  healthQuestions: ["unable_to_eat"],
  urgentSymptoms: [
    "face_pale",
    "lips_purple",
    "unusual_behaviour",
    "rapid_breathing",
    "sudden_breathlessness",
    "shoulder_breathing",
    "sudden_wheezing",
    "drowsy",
    "unresponsive",
  ],
  vaccination: { vaccine: { ja: "百日せき含有ワクチン", en: "Pertussis-containing vaccine" }, doses: 4 },
};
