/** Tables of the statistics module (migration 0710), written only by the database's triggers. */
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
  stats_daily_prefecture: {
    day: string;
    measure: string;
    prefecture_code: string;
    disease_code: string;
    n: number;
  };
}
