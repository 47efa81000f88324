import { z } from "zod";

// Zod probes for `new Function` before its first object parse; the strict Content-Security-Policy
// (no 'unsafe-eval') refuses it and browsers report every such probe as a violation. Imported
// first by each entry, before any schema runs.
z.config({ jitless: true });
