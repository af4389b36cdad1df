export function EmergencySettingsPage() {
  return <h1>Paging and protocols</h1>;
}
