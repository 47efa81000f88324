import { z } from "zod";
import { DiseaseDefinition } from "#domain/disease/types.ts";

// Replies of the Diseases section (API.md).

const { category, deadline, statistics } = DiseaseDefinition.shape;

export const diseaseItem = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  category,
  deadline,
  individualNotification: z.boolean(),
  /** Which statistics the disease feeds (the 日次報告 screen offers those with age-band totals). */
  statistics,
  recentNotifications: z.number().int(),
});

export const diseasesReply = z.object({ items: z.array(diseaseItem) });

const labelled = z.object({ code: z.string(), label: z.string(), labelEn: z.string() });

export const diseaseReply = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  category,
  allCasesNotified: z.boolean(),
  deadline,
  date: z.string(),
  individualNotification: z.boolean(),
  /** Why no form is offered on this date (e.g. COVID-19 from 2023-05-08). */
  statement: z.object({ ja: z.string(), en: z.string(), from: z.string(), source: z.string() }).nullable(),
  codeLists: z.object({
    diagnosisClasses: z.array(labelled),
    clinicalTypes: z.array(labelled),
    symptoms: z.array(labelled),
    diagnosisMethods: z.array(labelled.extend({ specimens: z.array(z.string()) })),
    specimens: z.array(labelled),
  }),
  /** The whole definition: the form's rules are evaluated on the screen as on the server. */
  definition: DiseaseDefinition,
});

/** PUT's reply: the definition as saved, and whether it is new. */
export const savedDiseaseReply = DiseaseDefinition.and(z.object({ created: z.boolean() }));
