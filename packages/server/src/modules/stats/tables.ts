/** Tables of the statistics module (migrations 0710, 0800), written only by the database's triggers. */
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
}

type StatusCounts = {
  hospitalized: number;
  hospitalized_severe: number;
  hotel: number;
  home: number;
  deceased: number;
  awaiting: number;
  released: number;
};
