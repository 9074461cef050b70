/** NiFi's back-pressure colours for a queue's fill: green below 60 %, amber below 85 %, red above. */
export function fillColour(fraction: number): "green" | "amber" | "red" {
  if (fraction < 0.6) return "green";
  if (fraction < 0.85) return "amber";
  return "red";
}
