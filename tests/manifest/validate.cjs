// Validates a Teams app manifest offline against the schema bundled in
// @microsoft/app-manifest. Reads the manifest from stdin, prints the errors as JSON.
const { AppManifestUtils } = require("@microsoft/app-manifest");

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const errors = await AppManifestUtils.validateAgainstSchema(JSON.parse(input));
  process.stdout.write(JSON.stringify(errors));
});
