import { allow } from "./registry.ts";

// Reference data (areas, facilities, postal codes, disease definitions) is for every staff user.
allow("staff", "read", "reference");
allow(["admin", "prefecture", "health_center"], "read", "jurisdiction");
allow("admin", "administer", "jurisdiction");
allow("admin", "read", "job");
allow("admin", "administer", "disease");
