import { allow } from "./registry.ts";

// A facility's machine credential (issue #13) is issued, listed and revoked by administrators.
// What the client itself may call is decided in api-client.ts.
allow("admin", ["list", "create", "update"], "apiClient");
