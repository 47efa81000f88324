// COVID-19 (新型コロナウイルス感染症) as data. Sources and confidence are those of
// /work/shared/reference/official-forms.md (sections 1 and 6); uncertain rows say so in a note.
import {
  type DiagnosisClass,
  diagnosisClassCodes,
  diagnosisMethods,
  specimens,
  symptoms,
  urgentSymptomCodes,
} from "../codes.ts";
import type { DiseaseDefinition, EligibilityCategory, NotificationForm, Rule } from "./types.ts";

const IDENTITY = ["patient.nameKanji", "patient.nameKana", "patient.sex", "patient.birthDate"];
const CONTACT_DETAILS = ["patient.postalCode", "patient.email", "currentLocation"];
// 19 その他…医師が必要と認める事項
const DOCTORS_OTHER_MATTERS = [
  "riskFactors",
  "immunocompromised",
  "pregnant",
  "severity",
  "admissionNeeded",
  "telemedicine",
  "note",
];

// Every item of 別記様式６－１ as of February 2022 (reference/hasseitodoke-2022-02.txt), API names.
const FORM_2022_02_FIELDS = [
  ...IDENTITY,
  ...CONTACT_DETAILS,
  "patient.address",
  "patient.phone",
  "occupation",
  "guardian.name",
  "guardian.address",
  "guardian.phone",
  "diagnosisClass",
  "symptoms",
  "symptomsOther",
  "spo2RoomAir",
  "diagnosis.method",
  "diagnosis.specimen",
  "diagnosis.specimenDate",
  "diagnosis.result",
  "additionalDiagnoses",
  "firstVisitDate",
  "diagnosisDate",
  "estimatedInfectionDate",
  "onsetDate",
  "deathDate",
  "infection.region",
  "infection.prefectureCode",
  "infection.country",
  "infection.certainty",
  "infection.mode",
  "infection.detail",
  "infection.route",
  "infection.linkKnown",
  "travel.departureDate",
  "travel.entryDate",
  "vaccinations",
  "hospitalizedAtNotification",
  "admissionDate",
  ...DOCTORS_OTHER_MATTERS,
  "doctorName",
];

const DECEASED: DiagnosisClass[] = ["deceased_confirmed", "deceased_suspected"];

const GUARDIAN_NAME_ADDRESS = [
  { path: "guardian.name", when: { fact: "minor" } },
  { path: "guardian.address", when: { fact: "minor" } },
  { path: "guardian.phone", when: { fact: "minor" } },
] satisfies NotificationForm["conditionalFields"];

// From 2022-06-30 the guardian's phone number replaced the address.
const GUARDIAN_NAME_PHONE = GUARDIAN_NAME_ADDRESS.filter((f) => f.path !== "guardian.address");

const DEATH_AND_ADMISSION = [
  { path: "deathDate", when: { diagnosisClass: DECEASED } },
  { path: "admissionDate", when: { fact: "hospitalized" } },
] satisfies NotificationForm["conditionalFields"];

// （＊）疑似症患者について、当該者が入院を要しないと認められる場合は、本発生届の提出は不要。
const SUSPECTED_ONLY_IF_ADMISSION: Rule = {
  any: [{ not: { diagnosisClass: ["suspected"] } }, { fact: "admissionNeeded" }],
};

function optionalOf(
  formFields: readonly string[],
  required: readonly string[],
  conditional: NotificationForm["conditionalFields"],
): string[] {
  const taken = new Set([...required, ...conditional.map((f) => f.path)]);
  return formFields.filter((field) => !taken.has(field));
}

const fullRequired = [
  ...IDENTITY,
  "patient.address",
  "patient.phone",
  "occupation",
  "diagnosisClass",
  "symptoms",
  "diagnosis.method",
  "diagnosis.specimen",
  "diagnosis.specimenDate",
  "diagnosis.result",
  "firstVisitDate",
  "diagnosisDate",
  "estimatedInfectionDate",
  "infection.region",
  "infection.mode",
  "hospitalizedAtNotification",
  "doctorName",
];
const fullConditional = [
  ...GUARDIAN_NAME_ADDRESS,
  // (＊) only when a confirmed patient is diagnosed
  { path: "onsetDate", when: { diagnosisClass: ["confirmed"] } },
  ...DEATH_AND_ADMISSION,
  { path: "infection.country", when: { fact: "infectedOverseas" } },
  { path: "travel.entryDate", when: { fact: "infectedOverseas" } },
] satisfies NotificationForm["conditionalFields"];

const full: NotificationForm = {
  variant: "full",
  validFrom: "2020-02-01",
  validTo: "2022-06-29",
  requiresPrefectureOptIn: false,
  requiredFields: fullRequired,
  conditionalFields: fullConditional,
  optionalFields: optionalOf(FORM_2022_02_FIELDS, fullRequired, fullConditional),
  eligibility: [],
  notifiableWhen: SUSPECTED_ONLY_IF_ADMISSION,
  unnotifiedReporting: null,
  notes: [
    "Every case is notified under Art. 12(1), from the designation as 指定感染症 on 2020-02-01.",
    "Fields follow the February 2022 form; earlier versions lacked the vaccination history and worded some items differently (not retrieved).",
  ],
  sources: [
    "別記様式６－１ (Feb 2022), wafflook/COVID-19-Report-Generator",
    "感染症法施行規則 第4条, https://iuris.jp/感染症の予防及び感染症の患者に対する医療に関する法律施行規則-第四条/jpn/a/25608",
  ],
};

const reducedRequired = [
  ...IDENTITY,
  "patient.address",
  "patient.phone",
  "diagnosisClass",
  "diagnosis.specimenDate",
  "diagnosisDate",
  "hospitalizedAtNotification",
  "doctorName",
];
const reducedConditional = [...GUARDIAN_NAME_PHONE, ...DEATH_AND_ADMISSION];
// Deleted from the required items in June 2022 but still what a health center asks for when it
// returns a notification (onset date above all): the form keeps a place for them, optional.
const ASKED_ON_RETURN = [
  "onsetDate",
  "symptoms",
  "symptomsOther",
  "diagnosis.method",
  "diagnosis.specimen",
  "diagnosis.result",
];

const reduced: NotificationForm = {
  variant: "reduced",
  validFrom: "2022-06-30",
  validTo: "2022-09-25",
  requiresPrefectureOptIn: false,
  requiredFields: reducedRequired,
  conditionalFields: reducedConditional,
  optionalFields: optionalOf(
    [...CONTACT_DETAILS, ...ASKED_ON_RETURN, "vaccinations", ...DOCTORS_OTHER_MATTERS],
    reducedRequired,
    reducedConditional,
  ),
  eligibility: [],
  notifiableWhen: SUSPECTED_ONLY_IF_ADMISSION,
  unnotifiedReporting: null,
  notes: [
    "施行規則 amended 2022-06-30: occupation and address, symptoms, diagnosis method, estimated infection date and cause/route/region deleted; 初診年月日 replaced by 検体採取年月日; the guardian's phone replaces the address.",
    "所在地 was kept and 住所 deleted; patient.address stands for where the person stays (currentLocation when it differs).",
    "The layout of the amended form was not retrieved: optional fields are contact details, vaccination and the doctor's other matters (item 19).",
    "Onset date, symptoms and the test (method, specimen, result) are offered as optional items: health centers asked for them when returning notifications. Not confirmed as items of the amended official form.",
  ],
  sources: [
    "https://khosp.or.jp/?p=9568 (2022-07-01)",
    "https://www.pref.chiba.lg.jp/shippei/tetsuzuki/kansenshou.html",
  ],
};

const simplifiedRequired = [
  "patient.nameKanji",
  "patient.sex",
  "patient.birthDate",
  "patient.address.municipalityCode",
  "patient.phone",
  "diagnosis.specimenDate",
  "vaccinations",
];

const simplified: NotificationForm = {
  variant: "simplified",
  validFrom: "2022-08-04",
  validTo: "2022-09-25",
  requiresPrefectureOptIn: true,
  requiredFields: simplifiedRequired,
  conditionalFields: [],
  optionalFields: ["patient.nameKana", "patient.address", "diagnosisDate", "onsetDate", "note"],
  eligibility: [],
  notifiableWhen: SUSPECTED_ONLY_IF_ADMISSION,
  unnotifiedReporting: null,
  notes: [
    "UNCERTAIN: the official list of the 最小限の7項目 was not found. This is Gifu's set (name, address, sex, birth date, phone, specimen or onset date, number of vaccine doses); Aichi asked for name, address, sex, birth date and phone only.",
    "UNCERTAIN start: MHLW announced the option on 2022-08-04; prefectures adopted it on their own dates (Chiba's notice is dated 2022-08-10).",
    "Only in prefectures that had a health follow-up centre; the kana reading, street address and onset date were not required. Ended when the 2022-09-26 limitation began.",
  ],
  sources: [
    "m3.com 2022-08-04 (https://sp.m3.com/news/open/iryoishin/1067191)",
    "https://healthcare.plan21.net/author/-95/page/286",
    "https://www.tokai-tv.com/tokainews/article_20220905_21527",
  ],
};

const limitedEligibility: EligibilityCategory[] = [
  { code: "age_65_plus", ja: "65歳以上の者", en: "Aged 65 or over", rule: { minAge: 65 } },
  {
    code: "admission_needed",
    ja: "入院を要する者",
    en: "Requires admission",
    rule: { fact: "admissionNeeded" },
  },
  {
    code: "risk_and_treatment",
    ja: "重症化リスクがあり、かつ、新型コロナ治療薬の投与又は新たな酸素投与が必要な者",
    en: "At risk of severe disease and needing a COVID-19 therapeutic or new oxygen",
    rule: {
      all: [{ fact: "hasRiskFactor" }, { any: [{ fact: "therapeuticNeeded" }, { fact: "oxygenNeeded" }] }],
    },
  },
  { code: "pregnant", ja: "妊婦", en: "Pregnant", rule: { fact: "pregnant" } },
];

const limitedRequired = [
  ...IDENTITY,
  "patient.address",
  "patient.phone",
  "diagnosisClass",
  "diagnosis.specimenDate",
  "diagnosisDate",
  "hospitalizedAtNotification",
  "riskFactors",
  "pregnant",
  "admissionNeeded",
  // 13 治療薬の投与又は酸素投与の必要性
  "therapeuticNeeded",
  "oxygenNeeded",
  "doctorName",
];
const limitedConditional = [...GUARDIAN_NAME_PHONE, ...DEATH_AND_ADMISSION];

const limited: NotificationForm = {
  variant: "limited",
  validFrom: "2022-09-26",
  validTo: "2023-05-07",
  requiresPrefectureOptIn: false,
  requiredFields: limitedRequired,
  conditionalFields: limitedConditional,
  optionalFields: optionalOf(
    [...CONTACT_DETAILS, "onsetDate", "vaccinations", "immunocompromised", "severity", "note"],
    limitedRequired,
    limitedConditional,
  ),
  eligibility: limitedEligibility,
  notifiableWhen: {
    any: [
      // A doctor who examines a body still notifies (Kanagawa's guidance).
      { diagnosisClass: DECEASED },
      {
        all: [
          SUSPECTED_ONLY_IF_ADMISSION,
          { any: limitedEligibility.map((category) => ({ category: category.code })) },
        ],
      },
    ],
  },
  unnotifiedReporting: "daily_age_band_counts",
  notes: [
    "全数届出の見直し: only the four categories are notified; every other diagnosed case is reported as a daily total with age bands (日次報告, by 09:00–10:00 the next day).",
    "Miyagi, Ibaraki, Tottori and Saga (9 prefectures in all) started on 2022-09-02.",
    "The full item list of the revised form was not retrieved; item 13 asks whether a therapeutic and whether oxygen is needed.",
    "Ended with the move to 5類 (sentinel surveillance) on 2023-05-08.",
  ],
  sources: [
    "https://www.pref.okayama.jp/page/810855.html",
    "https://www.pref.shizuoka.jp/kenkofukushi/covid19/1003081/1046571.html",
    "https://www.pref.kanagawa.jp/docs/ga4/covid19/ms/article_20220926.html",
    "https://www.city.naha.okinawa.jp/nahahokenjyo/kansensyou/2022COV.html",
  ],
};

export const covid19: DiseaseDefinition = {
  code: "covid19",
  name: { ja: "新型コロナウイルス感染症", en: "COVID-19" },
  revision: 4,
  // 指定感染症 from 2020-02-01, 新型インフルエンザ等感染症 from 2021-02-13, 5類 since 2023-05-08.
  category: "category5",
  formNumber: "別記様式６－１",
  allCasesNotified: false,
  deadline: "immediately",
  codeLists: {
    diagnosisClasses: [...diagnosisClassCodes],
    clinicalTypes: [],
    symptoms: symptoms.map(({ code, ja, en }) => ({ code, ja, en })),
    diagnosisMethods: diagnosisMethods.map(({ code, ja, en, specimens: allowed }) => ({
      code,
      ja,
      en,
      specimens: [...allowed],
    })),
    specimens: specimens.map(({ code, ja, en }) => ({ code, ja, en })),
  },
  notificationEnded: {
    from: "2023-05-08",
    ja: "新型コロナウイルス感染症は2023年5月8日に5類感染症（定点把握）へ移行し、医師による個別の発生届は不要になりました。指定届出機関（定点）からの患者数の報告で把握されます。",
    en: "COVID-19 became a Category 5 disease under sentinel surveillance on 2023-05-08; doctors no longer notify individual cases. Designated sentinel sites report patient counts instead.",
    source: "事務連絡 2023-04-14; reference/official-forms.md section 6",
  },
  statistics: ["case_counts", "open_data_patients", "daily_age_band_counts"],
  notes: [
    "Category over time: 指定感染症 (2020-02-01), 新型インフルエンザ等感染症 (2021-02-13), 5類 (2023-05-08); the category shown is today's.",
    "Code lists are those of the February 2022 form (別記様式６－１); `clinical` (diagnosis without a test) is ours.",
    "Urgent symptoms: all 13 items of the 2020-04-27 事務連絡 on home and hotel care (reference/official-forms.md section 2), which was written for COVID-19.",
    "Vaccination: the February 2022 sheet prints ③新型コロナウイルスワクチン接種歴 for 1回目–3回目; up to 5 doses are accepted for the later boosters. UNCERTAIN: how the later forms laid out doses 4 and 5 was not retrieved.",
  ],
  sources: [
    "/work/shared/reference/official-forms.md (sections 1 and 6)",
    "reference/hasseitodoke-2022-02.txt",
  ],
  notificationForms: [full, reduced, simplified, limited],
  // 積極的疫学調査の対象期間: from 2 days before onset (asymptomatic: before the specimen date).
  infectiousPeriods: [
    {
      validFrom: "2020-01-15",
      validTo: null,
      daysBefore: 2,
      daysAfter: 10,
      note: "感染可能期間: 発症2日前から（無症状病原体保有者は検体採取日の2日前から）。",
    },
  ],
  observationPeriods: [
    {
      appliesTo: "symptomatic",
      validFrom: "2020-02-03",
      validTo: "2020-05-28",
      basis: "onsetDate",
      days: null,
      afterImprovementHours: 48,
      mandatory: true,
      note: "Released after two negative PCR tests 12 h apart, the first 48 h after symptoms improved.",
      source: "medical.jiji.com/news/27803",
    },
    {
      appliesTo: "symptomatic",
      validFrom: "2020-05-29",
      validTo: "2020-06-11",
      basis: "onsetDate",
      days: 14,
      afterImprovementHours: 72,
      mandatory: true,
      note: "発症日から14日間経過し、かつ、症状軽快後72時間経過: released without PCR.",
      source: "mf.jiho.jp/article/208268",
    },
    {
      appliesTo: "symptomatic",
      validFrom: "2020-06-12",
      validTo: "2022-09-06",
      basis: "onsetDate",
      days: 10,
      afterImprovementHours: 72,
      mandatory: true,
      note: "発症日から10日間経過し、かつ、症状軽快後72時間経過; also for hotel and home care.",
      source: "MHLW 結核感染症課 通知 2020-06-12 (jiji 32997, wic-net)",
    },
    {
      appliesTo: "symptomatic",
      validFrom: "2022-09-07",
      validTo: "2023-05-07",
      basis: "onsetDate",
      days: 7,
      afterImprovementHours: 24,
      mandatory: true,
      note: "発症日から7日間経過し、かつ、症状軽快後24時間経過 → 8日目から解除 (症状軽快: fever gone without antipyretics, respiratory symptoms improving). Self-care until day 10.",
      source: "okajimanaika.com/news/543; tomiyoshi-cl.com/news/1676; iryoken.co.jp 2022-09-14",
    },
    {
      appliesTo: "symptomatic",
      validFrom: "2023-05-08",
      validTo: null,
      basis: "onsetDate",
      days: 5,
      afterImprovementHours: 24,
      mandatory: false,
      note: "5類: 発症日を0日目として5日間 stay home (recommended); if symptoms continue on day 5, until 24 h after they improve. Mask until day 10.",
      source: "事務連絡 2023-04-14 (healthcare.plan21.net; ishikawahokeni.jp; TBS newsdig 438222)",
    },
    {
      appliesTo: "inpatient",
      validFrom: "2022-09-07",
      validTo: "2023-05-07",
      basis: "onsetDate",
      days: 10,
      afterImprovementHours: 72,
      mandatory: true,
      note: "Symptomatic inpatients and residents of elderly-care facilities kept the 10 days + 72 h rule.",
      source: "okajimanaika.com/news/543; tomiyoshi-cl.com/news/1676",
    },
    {
      appliesTo: "asymptomatic",
      validFrom: "2020-02-03",
      validTo: "2020-06-11",
      basis: "specimenDate",
      days: null,
      afterImprovementHours: null,
      mandatory: true,
      note: "10 days after the positive test, then two negative PCR tests 12 h apart.",
      source: "medical.jiji.com/news/27803",
    },
    {
      appliesTo: "asymptomatic",
      validFrom: "2020-06-12",
      validTo: "2022-01-27",
      basis: "specimenDate",
      days: 10,
      afterImprovementHours: null,
      mandatory: true,
      note: "検体採取日から10日間 (or 6 days and two negative PCR tests 24 h apart).",
      source: "MHLW 結核感染症課 通知 2020-06-12 (jiji 32997, wic-net)",
    },
    {
      appliesTo: "asymptomatic",
      validFrom: "2022-01-28",
      validTo: "2022-09-06",
      basis: "specimenDate",
      days: 7,
      afterImprovementHours: null,
      mandatory: true,
      note: "検体採取日から7日間経過で8日目に解除. UNCERTAIN start date (事務連絡 2022-01-05, amended 2022-01-28).",
      source: "https://www.pref.miyagi.jp/site/covid-19/taiinnkijyun.html",
    },
    {
      appliesTo: "asymptomatic",
      validFrom: "2022-09-07",
      validTo: "2023-05-07",
      basis: "specimenDate",
      days: 7,
      afterImprovementHours: null,
      mandatory: true,
      note: "7日間経過で8日目に解除, or released on day 6 after a negative test on day 5. Self-care until day 10.",
      source: "okajimanaika.com/news/543; tomiyoshi-cl.com/news/1676",
    },
    {
      appliesTo: "asymptomatic",
      validFrom: "2023-05-08",
      validTo: null,
      basis: "specimenDate",
      days: 5,
      afterImprovementHours: null,
      mandatory: false,
      note: "5類: 5 days from the specimen date (day 0), recommended only.",
      source: "事務連絡 2023-04-14 (healthcare.plan21.net; ishikawahokeni.jp)",
    },
    {
      appliesTo: "contact",
      validFrom: "2020-02-01",
      validTo: "2022-01-13",
      basis: "lastContactDate",
      days: 14,
      afterImprovementHours: null,
      mandatory: true,
      note: "14 days from the last exposure.",
      source: "healthcare.plan21.net (事務連絡 p19: 従来は14日間)",
    },
    {
      appliesTo: "contact",
      validFrom: "2022-01-14",
      validTo: "2022-01-27",
      basis: "lastContactDate",
      days: 10,
      afterImprovementHours: null,
      mandatory: true,
      note: "Omicron: 10 days; essential workers could end on day 6 with a negative test.",
      source: "healthcare.plan21.net/category/health/page/958",
    },
    {
      appliesTo: "contact",
      validFrom: "2022-01-28",
      validTo: "2022-07-21",
      basis: "lastContactDate",
      days: 7,
      afterImprovementHours: null,
      mandatory: true,
      note: "7 days; essential workers on day 5 with negative tests. From about 2022-02 household contacts count from the later of the case's onset and the start of household measures (date not pinned).",
      source: "sputniknews.jp 2022-01-28; tag.coron.tech",
    },
    {
      appliesTo: "contact",
      validFrom: "2022-07-22",
      validTo: "2023-05-07",
      basis: "lastContactDate",
      days: 5,
      afterImprovementHours: null,
      mandatory: true,
      note: "5 days; released on day 3 with negative antigen tests on days 2 and 3.",
      source: "hsabu.com 2022-07-23; yomiDr 2022-07-22",
    },
    {
      appliesTo: "contact",
      validFrom: "2023-05-08",
      validTo: null,
      basis: "lastContactDate",
      days: 5,
      afterImprovementHours: null,
      mandatory: false,
      note: "5類: close contacts are no longer identified; advised to watch their health for 5 days.",
      source: "saitonaika-junkankika.com (PARTIAL)",
    },
  ],
  alertDefaults: {
    spo2Max: 93,
    feverThreshold: 37.5,
    feverConsecutiveDays: 2,
    highFever: 39.0,
    nonReportingHour: 12,
    spo2Drop: 3,
  },
  healthQuestions: ["nausea_vomiting", "diarrhea", "unable_to_eat", "no_urination", "impaired_consciousness"],
  urgentSymptoms: [...urgentSymptomCodes],
  vaccination: { vaccine: { ja: "新型コロナウイルスワクチン", en: "COVID-19 vaccine" }, doses: 5 },
};
