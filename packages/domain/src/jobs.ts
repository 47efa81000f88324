/**
 * The i18n key (admin namespace) of a background job's label on the ジョブ screen: i18next reads
 * dots as nesting, so the job's dots become underscores (`health.non-reporting` →
 * `jobs.name.health_non-reporting`).
 */
export const jobLabelKey = (jobName: string) => `jobs.name.${jobName.replaceAll(".", "_")}`;
