import { z } from "zod";

// Replies of 名寄せ (duplicates) and 他の保健所からの照会 (link proposals), API.md Persons.

/** A person with the cases of theirs the user can see. */
export const personSummary = z.object({
  id: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  birthDate: z.string().nullable(),
  sex: z.string(),
  phone: z.string().nullable(),
  postalCode: z.string().nullable(),
  address: z.object({ municipalityCode: z.string().nullable(), line: z.string().nullable() }),
  /** For the merge's optimistic check. */
  version: z.number().int(),
  cases: z.array(
    z.object({
      id: z.string(),
      caseNumber: z.string(),
      status: z.string(),
      diagnosisClass: z.string().nullable(),
    }),
  ),
});

export const duplicatePair = z.object({
  a: personSummary,
  b: personSummary,
  reasons: z.array(z.enum(["name_birth", "phone_birth", "name_phone", "name_address"])),
});

export const duplicatesReply = z.object({ items: z.array(duplicatePair), nextCursor: z.string().nullable() });

export const mergeReply = z.object({
  personId: z.string(),
  mergedPersonId: z.string(),
  /** The cases now under the kept person. */
  caseIds: z.array(z.string()),
});

const proposalFields = {
  id: z.string(),
  status: z.enum(["pending", "accepted", "dismissed"]),
  source: z.enum(["contact", "notification"]),
  matchedOn: z.array(z.string()),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
};

/** 他の保健所からの照会: a possible match with a person this center holds. */
export const incomingProposal = z.object({
  ...proposalFields,
  proposingHealthCenter: z.object({ id: z.string(), name: z.string() }),
  proposingCaseNumber: z.string().nullable(),
  heldPerson: personSummary.nullable(),
});

/** A proposal this center sent: only its state and the other center's name. */
export const outgoingProposal = z.object({
  ...proposalFields,
  heldHealthCenter: z.object({ id: z.string(), name: z.string() }),
  proposingCaseId: z.string().nullable(),
  proposingCaseNumber: z.string().nullable(),
});

export const proposalsReply = z.object({
  items: z.array(z.union([incomingProposal, outgoingProposal])),
  nextCursor: z.string().nullable(),
});

export const acceptProposalReply = z.object({
  id: z.string(),
  status: z.literal("accepted"),
  personId: z.string(),
});

export const dismissProposalReply = z.object({ id: z.string(), status: z.literal("dismissed") });
