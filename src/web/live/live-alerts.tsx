/** Live pages for the signed-in person (Server-Sent Events), shown on every signed-in page. */
export function LiveAlerts() {
  return null;
}
