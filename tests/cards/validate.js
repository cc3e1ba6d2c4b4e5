// Parses and validates Adaptive Cards with Microsoft's own renderer, as a host would.
// Usage: node validate.js cards.json, where cards.json holds {"name": card, ...}.
// Prints {"name": ["what is wrong", ...], ...}; an empty list means the card is valid.
"use strict";

const fs = require("fs");
const path = require("path");

const AC = require(
  path.resolve(__dirname, "../../node_modules/adaptivecards/dist/adaptivecards.js"),
);

// The renderer checks "lang" with a regular expression that has the global flag, so
// it keeps its position between cards and fails every other valid "nl" or "en".
const langPattern = AC.CardElement.langProperty.regEx;

function problems(payload) {
  langPattern.lastIndex = 0;
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(payload, context);

  const found = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    found.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    found.push(`validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return found;
}

const cards = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const report = {};
for (const [name, payload] of Object.entries(cards)) {
  report[name] = problems(payload);
}
process.stdout.write(JSON.stringify(report));
