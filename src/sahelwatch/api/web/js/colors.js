// ACLED event types and the colours sahelwatch draws them in.
export const TYPE_COLORS = {
  "Battles": "#d7301f",
  "Explosions/Remote violence": "#f28e2b",
  "Violence against civilians": "#7b3294",
  "Protests": "#2c7bb6",
  "Riots": "#1a9e77",
  "Strategic developments": "#6f7a85",
};
export const OTHER_COLOR = "#9aa5b1";
export const typeColor = (t) => TYPE_COLORS[t] || OTHER_COLOR;

/** Marker radius in pixels: area grows with fatalities, capped. */
export const radiusFor = (fatalities) => Math.min(22, 4.5 + 2.2 * Math.sqrt(Math.max(0, fatalities || 0)));
