/** Tables of the statistics module (migrations 0710, 0800, 0970), written only by the database's triggers. */
export interface StatsTables {
  stats_daily: {
    day: string;
    measure: string;
    prefecture_code: string;
    health_center_id: string;
    disease_code: string;
    age_band: string;
    sex: string;
    diagnosis_class: string;
    n: number;
  };
  stats_prefecture_day: {
    day: string;
    prefecture_code: string;
    disease_code: string;
  } & StatusCounts & { diagnosed: number; notified: number; onset: number };
  stats_prefecture_month: {
    month: string;
    prefecture_code: string;
    disease_code: string;
  } & StatusCounts;
  stats_health_center_day: {
    prefecture_code: string;
    day: string;
    health_center_id: string;
    disease_code: string;
  } & StatusCounts &
    NewCaseCounts;
  stats_health_center_month: {
    prefecture_code: string;
    month: string;
    health_center_id: string;
    disease_code: string;
  } & StatusCounts;
  stats_age_sex_day: {
    prefecture_code: string;
    day: string;
    disease_code: string;
    age_band: string;
    sex: string;
  } & StatusCounts &
    NewCaseCounts;
  stats_age_sex_month: {
    prefecture_code: string;
    month: string;
    disease_code: string;
    age_band: string;
    sex: string;
  } & StatusCounts;
  /** A counter per prefecture and disease, raised by every write that moves their figures. */
  stats_versions: { prefecture_code: string; disease_code: string; version: string };
}

type NewCaseCounts = { diagnosed: number; notified: number; onset: number };

type StatusCounts = {
  hospitalized: number;
  hospitalized_severe: number;
  hotel: number;
  home: number;
  deceased: number;
  awaiting: number;
  released: number;
};
