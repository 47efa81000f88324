import { z } from "zod";

export interface CodeItem {
  readonly code: string;
  readonly ja: string;
  readonly en: string;
}

export type Lang = "ja" | "en";

type CodeTuple<T extends readonly CodeItem[]> = { -readonly [K in keyof T]: T[K]["code"] };

/** The codes of a list as a tuple, keeping their literal types (what `z.enum` needs). */
function codesOf<const T extends readonly CodeItem[]>(list: T): CodeTuple<T> {
  return list.map((item) => item.code) as CodeTuple<T>;
}

/** The display label of a code; an unknown code (e.g. from old data) is shown as itself. */
export function label(list: readonly CodeItem[], code: string, lang: Lang = "ja"): string {
  const item = list.find((entry) => entry.code === code);
  return item ? item[lang] : code;
}

// 性別 (form item 3 has only 男・女; other/unknown are ours)
export const sexes = [
  { code: "male", ja: "男性", en: "Male" },
  { code: "female", ja: "女性", en: "Female" },
  { code: "other", ja: "その他", en: "Other" },
  { code: "unknown", ja: "不明", en: "Unknown" },
] as const;
export const sexCodes = codesOf(sexes);
export type Sex = (typeof sexCodes)[number];
export const sexSchema = z.enum(sexCodes);

// 診断（検案）した者（死体）の類型 (form item 1)
export const diagnosisClasses = [
  { code: "confirmed", ja: "患者（確定例）", en: "Patient (confirmed case)" },
  { code: "asymptomatic_carrier", ja: "無症状病原体保有者", en: "Asymptomatic carrier" },
  { code: "suspected", ja: "疑似症患者", en: "Suspected case" },
  { code: "deceased_confirmed", ja: "感染症死亡者の死体", en: "Body of a person who died of the disease" },
  {
    code: "deceased_suspected",
    ja: "感染症死亡疑い者の死体",
    en: "Body of a person suspected to have died of the disease",
  },
] as const;
export const diagnosisClassCodes = codesOf(diagnosisClasses);
export type DiagnosisClass = (typeof diagnosisClassCodes)[number];
export const diagnosisClassSchema = z.enum(diagnosisClassCodes);

// 症状 (form item 11); SpO2 is a separate numeric field (spo2RoomAir)
export const symptoms = [
  { code: "fever", ja: "発熱", en: "Fever" },
  { code: "cough", ja: "咳", en: "Cough" },
  {
    code: "acute_respiratory_other",
    ja: "咳以外の急性呼吸器症状",
    en: "Acute respiratory symptoms other than cough",
  },
  { code: "pneumonia", ja: "肺炎像", en: "Pneumonia on imaging" },
  { code: "severe_pneumonia", ja: "重篤な肺炎", en: "Severe pneumonia" },
  { code: "ards", ja: "急性呼吸窮迫症候群", en: "Acute respiratory distress syndrome" },
  { code: "multi_organ_failure", ja: "多臓器不全", en: "Multi-organ failure" },
  { code: "fatigue", ja: "全身倦怠感", en: "General fatigue" },
  { code: "headache", ja: "頭痛", en: "Headache" },
  { code: "nausea_vomiting", ja: "嘔気/嘔吐", en: "Nausea/vomiting" },
  { code: "diarrhea", ja: "下痢", en: "Diarrhoea" },
  { code: "conjunctivitis", ja: "結膜炎", en: "Conjunctivitis" },
  { code: "smell_taste_disorder", ja: "嗅覚・味覚障害", en: "Smell/taste disorder" },
  { code: "other", ja: "その他", en: "Other" },
  { code: "none", ja: "症状なし", en: "No symptoms" },
] as const;
export const symptomCodes = codesOf(symptoms);
export type Symptom = (typeof symptomCodes)[number];
export const symptomSchema = z.enum(symptomCodes);

// 検体 (form item 12)
export const specimens = [
  { code: "sputum", ja: "喀痰", en: "Sputum" },
  { code: "tracheal_aspirate", ja: "気管吸引液", en: "Tracheal aspirate" },
  { code: "bal", ja: "肺胞洗浄液", en: "Bronchoalveolar lavage fluid" },
  { code: "pharyngeal_swab", ja: "咽頭拭い液", en: "Pharyngeal swab" },
  { code: "nasal_aspirate", ja: "鼻腔吸引液", en: "Nasal aspirate" },
  { code: "nasal_swab", ja: "鼻腔拭い液", en: "Nasal swab" },
  { code: "nasopharyngeal_swab", ja: "鼻咽頭拭い液", en: "Nasopharyngeal swab" },
  { code: "stool", ja: "便", en: "Stool" },
  { code: "saliva", ja: "唾液", en: "Saliva" },
  { code: "autopsy", ja: "剖検材料", en: "Autopsy material" },
  { code: "other", ja: "その他", en: "Other" },
] as const;
export const specimenCodes = codesOf(specimens);
export type Specimen = (typeof specimenCodes)[number];
export const specimenSchema = z.enum(specimenCodes);

const antigenQualitativeSpecimens = ["nasal_swab", "nasopharyngeal_swab"] as const satisfies Specimen[];

// 診断方法 (form item 12) with the specimens the form offers for each method.
// `clinical` (diagnosis without a test) is not on the form; it has no specimen.
export const diagnosisMethods = [
  {
    code: "isolation",
    ja: "分離・同定による病原体の検出",
    en: "Pathogen detection by isolation/identification",
    specimens: specimenCodes,
  },
  {
    code: "nucleic_acid",
    ja: "検体から核酸増幅法（PCR法、LAMP法など）による病原体遺伝子の検出",
    en: "Pathogen gene detection by nucleic-acid amplification (PCR, LAMP, etc.)",
    specimens: specimenCodes,
  },
  {
    code: "antigen_qualitative",
    ja: "抗原定性検査による病原体の抗原の検出",
    en: "Antigen detection by qualitative antigen test",
    specimens: antigenQualitativeSpecimens,
  },
  {
    code: "antigen_quantitative",
    ja: "抗原定量検査による病原体の抗原の検出",
    en: "Antigen detection by quantitative antigen test",
    specimens: [...antigenQualitativeSpecimens, "saliva"],
  },
  { code: "clinical", ja: "臨床診断（検査によらない）", en: "Clinical diagnosis (no test)", specimens: [] },
] as const satisfies readonly (CodeItem & { specimens: readonly Specimen[] })[];
export const diagnosisMethodCodes = codesOf(diagnosisMethods);
export type DiagnosisMethod = (typeof diagnosisMethodCodes)[number];
export const diagnosisMethodSchema = z.enum(diagnosisMethodCodes);

export function specimensFor(method: DiagnosisMethod): readonly Specimen[] {
  return diagnosisMethods.find((m) => m.code === method)?.specimens ?? [];
}

export function isSpecimenAllowed(method: DiagnosisMethod, specimen: Specimen): boolean {
  return specimensFor(method).includes(specimen);
}

export const testResults = [
  { code: "positive", ja: "陽性", en: "Positive" },
  { code: "negative", ja: "陰性", en: "Negative" },
  { code: "pending", ja: "結果待ち", en: "Pending" },
] as const;
export const testResultCodes = codesOf(testResults);
export type TestResult = (typeof testResultCodes)[number];
export const testResultSchema = z.enum(testResultCodes);

// 感染地域 (form item 18 ②)
export const infectionRegions = [
  { code: "domestic", ja: "日本国内", en: "Within Japan" },
  { code: "overseas", ja: "国外", en: "Abroad" },
] as const;
export const infectionRegionCodes = codesOf(infectionRegions);
export type InfectionRegion = (typeof infectionRegionCodes)[number];
export const infectionRegionSchema = z.enum(infectionRegionCodes);

// 感染経路 (our categories, API.md)
export const infectionRoutes = [
  { code: "household", ja: "家庭内", en: "Household" },
  { code: "workplace", ja: "職場", en: "Workplace" },
  { code: "school", ja: "学校・保育施設", en: "School or childcare" },
  { code: "facility", ja: "施設（医療・福祉等）", en: "Facility (medical, care, etc.)" },
  { code: "dining", ja: "会食・飲食店", en: "Dining" },
  { code: "travel", ja: "旅行・移動", en: "Travel" },
  { code: "unknown", ja: "不明", en: "Unknown" },
  { code: "other", ja: "その他", en: "Other" },
] as const;
export const infectionRouteCodes = codesOf(infectionRoutes);
export type InfectionRoute = (typeof infectionRouteCodes)[number];
export const infectionRouteSchema = z.enum(infectionRouteCodes);

// 確定・推定 (form item 18 ① and ②)
export const infectionCertainties = [
  { code: "confirmed", ja: "確定", en: "Confirmed" },
  { code: "presumed", ja: "推定", en: "Presumed" },
] as const;
export const infectionCertaintyCodes = codesOf(infectionCertainties);
export type InfectionCertainty = (typeof infectionCertaintyCodes)[number];
export const infectionCertaintySchema = z.enum(infectionCertaintyCodes);

// 感染原因・感染経路 (form item 18 ①)
export const infectionModes = [
  { code: "droplet", ja: "飛沫・飛沫核感染", en: "Droplet or droplet-nucleus transmission" },
  { code: "contact", ja: "接触感染", en: "Contact transmission" },
  { code: "other", ja: "その他", en: "Other" },
] as const;
export const infectionModeCodes = codesOf(infectionModes);
export type InfectionMode = (typeof infectionModeCodes)[number];
export const infectionModeSchema = z.enum(infectionModeCodes);

// ワクチン接種歴 有・無・不明 (form item 18 ③)
export const vaccinationStatuses = [
  { code: "yes", ja: "有", en: "Yes" },
  { code: "no", ja: "無", en: "No" },
  { code: "unknown", ja: "不明", en: "Unknown" },
] as const;
export const vaccinationStatusCodes = codesOf(vaccinationStatuses);
export type VaccinationStatus = (typeof vaccinationStatusCodes)[number];
export const vaccinationStatusSchema = z.enum(vaccinationStatusCodes);

// 重症化のリスク因子となる疾患等 (form item 19)
// 重症化のリスク因子となる疾患等の有無（有・無）: 「なし」 answers 無, so that a required item
// can be answered for a patient notified for another reason (65 or over, pregnant).
export const riskFactors = [
  { code: "none", ja: "なし", en: "None" },
  { code: "malignancy", ja: "悪性腫瘍", en: "Malignancy" },
  { code: "copd", ja: "慢性閉塞性肺疾患（COPD）", en: "Chronic obstructive pulmonary disease (COPD)" },
  { code: "ckd", ja: "慢性腎臓病", en: "Chronic kidney disease" },
  { code: "hypertension", ja: "高血圧", en: "Hypertension" },
  { code: "diabetes", ja: "糖尿病", en: "Diabetes" },
  { code: "dyslipidemia", ja: "脂質異常症", en: "Dyslipidaemia" },
  { code: "obesity", ja: "肥満（BMI30以上）", en: "Obesity (BMI 30 or over)" },
  { code: "smoking", ja: "喫煙歴", en: "Smoking history" },
  { code: "other", ja: "その他", en: "Other" },
] as const;
export const riskFactorCodes = codesOf(riskFactors);
export type RiskFactor = (typeof riskFactorCodes)[number];
export const riskFactorSchema = z.enum(riskFactorCodes);

// 基礎疾患: our own list (no official code list exists): the form's risk factors plus common
// conditions health centers ask about; `other` stays last.
export const underlyingConditions = [
  ...riskFactors.filter((item) => item.code !== "other" && item.code !== "none"),
  { code: "heart_disease", ja: "心疾患", en: "Heart disease" },
  { code: "cerebrovascular_disease", ja: "脳血管疾患", en: "Cerebrovascular disease" },
  {
    code: "chronic_respiratory_disease",
    ja: "慢性呼吸器疾患（COPD以外）",
    en: "Chronic respiratory disease (not COPD)",
  },
  { code: "chronic_liver_disease", ja: "慢性肝疾患", en: "Chronic liver disease" },
  { code: "immunodeficiency", ja: "免疫不全", en: "Immunodeficiency" },
  { code: "dementia", ja: "認知症", en: "Dementia" },
  { code: "other", ja: "その他", en: "Other" },
] as const;
export const underlyingConditionCodes = codesOf(underlyingConditions);
export type UnderlyingCondition = (typeof underlyingConditionCodes)[number];
export const underlyingConditionSchema = z.enum(underlyingConditionCodes);

// 重症度 (form item 19, per the MHLW clinical guide)
export const severities = [
  { code: "mild", ja: "軽症", en: "Mild" },
  { code: "moderate1", ja: "中等症Ⅰ", en: "Moderate I" },
  { code: "moderate2", ja: "中等症Ⅱ", en: "Moderate II" },
  { code: "severe", ja: "重症", en: "Severe" },
] as const;
export const severityCodes = codesOf(severities);
export type Severity = (typeof severityCodes)[number];
export const severitySchema = z.enum(severityCodes);

// 現在のステータス; `underObservation` marks who is on the 健康状態一覧 (health status list).
export const caseStatuses = [
  { code: "contact", ja: "濃厚接触者", en: "Close contact", underObservation: true },
  { code: "awaiting", ja: "療養先調整中", en: "Awaiting a place of care", underObservation: true },
  { code: "hospitalized", ja: "入院中", en: "In hospital", underObservation: false },
  { code: "hospitalized_severe", ja: "入院中（重症）", en: "In hospital (severe)", underObservation: false },
  { code: "hotel", ja: "宿泊療養中", en: "Isolating at a hotel", underObservation: true },
  { code: "home", ja: "自宅療養中", en: "Isolating at home", underObservation: true },
  { code: "released", ja: "療養解除", en: "Released", underObservation: false },
  { code: "deceased", ja: "死亡", en: "Deceased", underObservation: false },
] as const;
export const caseStatusCodes = codesOf(caseStatuses);
export type CaseStatus = (typeof caseStatusCodes)[number];
export const caseStatusSchema = z.enum(caseStatusCodes);
export const observedCaseStatuses: readonly CaseStatus[] = caseStatuses
  .filter((status) => status.underObservation)
  .map((status) => status.code);

// 緊急性の高い症状: groups and items of the 2020-04-27 事務連絡, in its order.
export const urgentSymptomGroups = [
  { code: "appearance", ja: "表情・外見", en: "Facial expression and appearance" },
  { code: "breathing", ja: "息苦しさ等", en: "Breathlessness etc." },
  { code: "consciousness", ja: "意識障害等", en: "Impaired consciousness etc." },
] as const;
export type UrgentSymptomGroup = (typeof urgentSymptomGroups)[number]["code"];

// familyCheck: the ※ items, which family members or others check.
export const urgentSymptoms = [
  {
    code: "face_pale",
    ja: "顔色が明らかに悪い",
    en: "Clearly poor complexion",
    group: "appearance",
    familyCheck: true,
  },
  {
    code: "lips_purple",
    ja: "唇が紫色になっている",
    en: "Lips turning purple",
    group: "appearance",
    familyCheck: false,
  },
  {
    code: "unusual_behaviour",
    ja: "いつもと違う、様子がおかしい",
    en: "Not themselves, something seems wrong",
    group: "appearance",
    familyCheck: true,
  },
  {
    code: "rapid_breathing",
    ja: "息が荒くなった（呼吸数が多くなった）",
    en: "Breathing became rough (faster breathing)",
    group: "breathing",
    familyCheck: false,
  },
  {
    code: "sudden_breathlessness",
    ja: "急に息苦しくなった",
    en: "Suddenly became breathless",
    group: "breathing",
    familyCheck: false,
  },
  {
    code: "breathless_on_light_activity",
    ja: "生活をしていて少し動くと息苦しい",
    en: "Breathless with slight exertion in daily life",
    group: "breathing",
    familyCheck: false,
  },
  { code: "chest_pain", ja: "胸の痛みがある", en: "Chest pain", group: "breathing", familyCheck: false },
  {
    code: "cannot_lie_down",
    ja: "横になれない。座らないと息ができない",
    en: "Cannot lie down; can only breathe sitting up",
    group: "breathing",
    familyCheck: false,
  },
  {
    code: "shoulder_breathing",
    ja: "肩で息をしている",
    en: "Breathing with the shoulders",
    group: "breathing",
    familyCheck: false,
  },
  {
    code: "sudden_wheezing",
    ja: "突然（2時間以内を目安）ゼーゼーしはじめた",
    en: "Sudden wheezing (within about 2 hours)",
    group: "breathing",
    familyCheck: false,
  },
  {
    code: "drowsy",
    ja: "ぼんやりしている（反応が弱い）",
    en: "Dazed (weak responses)",
    group: "consciousness",
    familyCheck: true,
  },
  {
    code: "unresponsive",
    ja: "もうろうとしている（返事がない）",
    en: "Stuporous (not answering)",
    group: "consciousness",
    familyCheck: true,
  },
  {
    code: "irregular_pulse",
    ja: "脈がとぶ、脈のリズムが乱れる感じがする",
    en: "Pulse skipping or irregular",
    group: "consciousness",
    familyCheck: false,
  },
] as const satisfies readonly (CodeItem & { group: UrgentSymptomGroup; familyCheck: boolean })[];
export const urgentSymptomCodes = codesOf(urgentSymptoms);
export type UrgentSymptom = (typeof urgentSymptomCodes)[number];
export const urgentSymptomSchema = z.enum(urgentSymptomCodes);

/** The report form's checklist of the items a disease asks, by group, in the official order. */
export function urgentChecklistOf(asked: readonly string[]) {
  return urgentSymptomGroups
    .map((g) => ({
      group: g.code,
      items: urgentSymptoms
        .filter((s) => s.group === g.code && asked.includes(s.code))
        .map((s) => ({ code: s.code, familyCheck: s.familyCheck })),
    }))
    .filter((g) => g.items.length > 0);
}

// My HER-SYS questions beyond the fixed report fields (cough, runny nose, breathlessness, fatigue).
export const observationQuestions = [
  { code: "nausea_vomiting", ja: "嘔気・嘔吐", en: "Nausea or vomiting" },
  { code: "diarrhea", ja: "下痢", en: "Diarrhoea" },
  { code: "unable_to_eat", ja: "食事困難", en: "Difficulty eating" },
  { code: "no_urination", ja: "排尿がない", en: "No urination" },
  { code: "impaired_consciousness", ja: "意識障害", en: "Impaired consciousness" },
] as const;
export const observationQuestionCodes = codesOf(observationQuestions);
export type ObservationQuestion = (typeof observationQuestionCodes)[number];
export const observationQuestionSchema = z.enum(observationQuestionCodes);

// はい・いいえ・不明 answers to the observation questions
export const observationAnswers = [
  { code: "yes", ja: "はい", en: "Yes" },
  { code: "no", ja: "いいえ", en: "No" },
  { code: "unknown", ja: "不明", en: "Unknown" },
] as const;
export const observationAnswerCodes = codesOf(observationAnswers);
export type ObservationAnswer = (typeof observationAnswerCodes)[number];
export const observationAnswerSchema = z.enum(observationAnswerCodes);

// Health observation alerts (rules evaluated in alerts.ts)
export const alertRules = [
  { code: "urgent_symptom", ja: "緊急性の高い症状", en: "Urgent symptom" },
  { code: "low_spo2", ja: "SpO2低下", en: "Low SpO2" },
  { code: "high_fever", ja: "高熱", en: "High fever" },
  { code: "persistent_fever", ja: "発熱の持続", en: "Persistent fever" },
  { code: "worsening", ja: "症状の悪化", en: "Worsening" },
  { code: "non_reporting", ja: "未報告", en: "No report" },
] as const;
export const alertRuleCodes = codesOf(alertRules);
export type AlertRule = (typeof alertRuleCodes)[number];
export const alertRuleSchema = z.enum(alertRuleCodes);

/** An alert's state: open until a member of staff acknowledges it (対応). */
export const alertStates = [
  { code: "open", ja: "未対応", en: "Open" },
  { code: "acknowledged", ja: "対応済", en: "Acknowledged" },
] as const;

export const alertSeverities = [
  { code: "critical", ja: "緊急", en: "Critical" },
  { code: "high", ja: "高", en: "High" },
  { code: "medium", ja: "中", en: "Medium" },
] as const;
export const alertSeverityCodes = codesOf(alertSeverities);
export type AlertSeverity = (typeof alertSeverityCodes)[number];
export const alertSeveritySchema = z.enum(alertSeverityCodes);

// 接触者の関係 (investigation contacts)
export const contactRelationships = [
  { code: "household", ja: "同居家族", en: "Household" },
  { code: "workplace", ja: "職場", en: "Workplace" },
  { code: "school", ja: "学校", en: "School" },
  { code: "facility", ja: "施設", en: "Facility" },
  { code: "dining", ja: "会食", en: "Dining" },
  { code: "other", ja: "その他", en: "Other" },
] as const;
export const contactRelationshipCodes = codesOf(contactRelationships);
export type ContactRelationship = (typeof contactRelationshipCodes)[number];
export const contactRelationshipSchema = z.enum(contactRelationshipCodes);

// 行動歴の場所の種別
export const placeKinds = [
  { code: "household", ja: "自宅・家庭", en: "Home" },
  { code: "workplace", ja: "職場", en: "Workplace" },
  { code: "school", ja: "学校", en: "School" },
  { code: "care_facility", ja: "介護・福祉施設", en: "Care facility" },
  { code: "restaurant", ja: "飲食店", en: "Restaurant" },
  { code: "transport", ja: "交通機関", en: "Transport" },
  { code: "event", ja: "イベント・集会", en: "Event" },
  { code: "medical", ja: "医療機関", en: "Medical institution" },
  { code: "other", ja: "その他", en: "Other" },
] as const;
export const placeKindCodes = codesOf(placeKinds);
export type PlaceKind = (typeof placeKindCodes)[number];
export const placeKindSchema = z.enum(placeKindCodes);

export const notificationStatuses = [
  { code: "submitted", ja: "提出済", en: "Submitted" },
  { code: "accepted", ja: "受理", en: "Accepted" },
  { code: "returned", ja: "差戻し", en: "Returned" },
] as const;
export const notificationStatusCodes = codesOf(notificationStatuses);
export type NotificationStatus = (typeof notificationStatusCodes)[number];
export const notificationStatusSchema = z.enum(notificationStatusCodes);

export const facilityKinds = [
  { code: "clinic", ja: "診療所", en: "Clinic" },
  { code: "hospital", ja: "病院", en: "Hospital" },
  { code: "hotel", ja: "宿泊療養施設", en: "Isolation hotel" },
] as const;
export const facilityKindCodes = codesOf(facilityKinds);
export type FacilityKind = (typeof facilityKindCodes)[number];
export const facilityKindSchema = z.enum(facilityKindCodes);

export const roles = [
  { code: "health_center", ja: "保健所", en: "Health center" },
  { code: "clinic", ja: "外来医療機関", en: "Outpatient clinic" },
  { code: "hospital", ja: "入院医療機関", en: "Hospital" },
  { code: "prefecture", ja: "都道府県", en: "Prefecture" },
  { code: "national", ja: "国（厚生労働省）", en: "National (Ministry)" },
  { code: "admin", ja: "システム管理者", en: "Administrator" },
] as const;
export const roleCodes = codesOf(roles);
export type Role = (typeof roleCodes)[number];
export const roleSchema = z.enum(roleCodes);

// The field groups that access rights are granted on (HER-SYS input areas 1–4 plus observation).
export const sections = [
  { code: "basic", ja: "基本情報", en: "Basic information" },
  { code: "diagnosis", ja: "検査・診断", en: "Tests and diagnosis" },
  { code: "measures", ja: "措置", en: "Measures" },
  { code: "observation", ja: "健康観察", en: "Health observation" },
  { code: "investigation", ja: "積極的疫学調査", en: "Active epidemiological investigation" },
] as const;
export const sectionCodes = codesOf(sections);
export type Section = (typeof sectionCodes)[number];
export const sectionSchema = z.enum(sectionCodes);

// 患者_年代 of the open-data standard (reference 4a), used for daily age-band counts.
export const ageBands = [
  { code: "under_10", ja: "10歳未満", en: "Under 10", minAge: 0 },
  { code: "10s", ja: "10代", en: "10–19", minAge: 10 },
  { code: "20s", ja: "20代", en: "20–29", minAge: 20 },
  { code: "30s", ja: "30代", en: "30–39", minAge: 30 },
  { code: "40s", ja: "40代", en: "40–49", minAge: 40 },
  { code: "50s", ja: "50代", en: "50–59", minAge: 50 },
  { code: "60s", ja: "60代", en: "60–69", minAge: 60 },
  { code: "70s", ja: "70代", en: "70–79", minAge: 70 },
  { code: "80s", ja: "80代", en: "80–89", minAge: 80 },
  { code: "90_and_over", ja: "90歳以上", en: "90 and over", minAge: 90 },
] as const;
export const ageBandCodes = codesOf(ageBands);
export type AgeBand = (typeof ageBandCodes)[number];
export const ageBandSchema = z.enum(ageBandCodes);

export function ageBandOf(ageYears: number): AgeBand {
  if (!Number.isInteger(ageYears) || ageYears < 0) throw new RangeError(`invalid age: ${ageYears}`);
  return ageBands.findLast((band) => ageYears >= band.minAge)!.code;
}

// JIS X 0401
export const prefectures = [
  { code: "01", ja: "北海道", en: "Hokkaido" },
  { code: "02", ja: "青森県", en: "Aomori" },
  { code: "03", ja: "岩手県", en: "Iwate" },
  { code: "04", ja: "宮城県", en: "Miyagi" },
  { code: "05", ja: "秋田県", en: "Akita" },
  { code: "06", ja: "山形県", en: "Yamagata" },
  { code: "07", ja: "福島県", en: "Fukushima" },
  { code: "08", ja: "茨城県", en: "Ibaraki" },
  { code: "09", ja: "栃木県", en: "Tochigi" },
  { code: "10", ja: "群馬県", en: "Gunma" },
  { code: "11", ja: "埼玉県", en: "Saitama" },
  { code: "12", ja: "千葉県", en: "Chiba" },
  { code: "13", ja: "東京都", en: "Tokyo" },
  { code: "14", ja: "神奈川県", en: "Kanagawa" },
  { code: "15", ja: "新潟県", en: "Niigata" },
  { code: "16", ja: "富山県", en: "Toyama" },
  { code: "17", ja: "石川県", en: "Ishikawa" },
  { code: "18", ja: "福井県", en: "Fukui" },
  { code: "19", ja: "山梨県", en: "Yamanashi" },
  { code: "20", ja: "長野県", en: "Nagano" },
  { code: "21", ja: "岐阜県", en: "Gifu" },
  { code: "22", ja: "静岡県", en: "Shizuoka" },
  { code: "23", ja: "愛知県", en: "Aichi" },
  { code: "24", ja: "三重県", en: "Mie" },
  { code: "25", ja: "滋賀県", en: "Shiga" },
  { code: "26", ja: "京都府", en: "Kyoto" },
  { code: "27", ja: "大阪府", en: "Osaka" },
  { code: "28", ja: "兵庫県", en: "Hyogo" },
  { code: "29", ja: "奈良県", en: "Nara" },
  { code: "30", ja: "和歌山県", en: "Wakayama" },
  { code: "31", ja: "鳥取県", en: "Tottori" },
  { code: "32", ja: "島根県", en: "Shimane" },
  { code: "33", ja: "岡山県", en: "Okayama" },
  { code: "34", ja: "広島県", en: "Hiroshima" },
  { code: "35", ja: "山口県", en: "Yamaguchi" },
  { code: "36", ja: "徳島県", en: "Tokushima" },
  { code: "37", ja: "香川県", en: "Kagawa" },
  { code: "38", ja: "愛媛県", en: "Ehime" },
  { code: "39", ja: "高知県", en: "Kochi" },
  { code: "40", ja: "福岡県", en: "Fukuoka" },
  { code: "41", ja: "佐賀県", en: "Saga" },
  { code: "42", ja: "長崎県", en: "Nagasaki" },
  { code: "43", ja: "熊本県", en: "Kumamoto" },
  { code: "44", ja: "大分県", en: "Oita" },
  { code: "45", ja: "宮崎県", en: "Miyazaki" },
  { code: "46", ja: "鹿児島県", en: "Kagoshima" },
  { code: "47", ja: "沖縄県", en: "Okinawa" },
] as const;
export const prefectureCodes = codesOf(prefectures);
export type PrefectureCode = (typeof prefectureCodes)[number];
export const prefectureCodeSchema = z.enum(prefectureCodes);
