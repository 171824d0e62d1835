/**
 * The job key of a heartbeat's `heartbeat.check` timer: one waiting timer per heartbeat, re-armed
 * under it by each check-in and by an enable. The store reads the timer back by it
 * (IntegrationRepository.pendingHeartbeatChecks), so the API can say when the check is due.
 */
export const heartbeatCheckJobKey = (integrationId: string): string => `heartbeat:${integrationId}`;
