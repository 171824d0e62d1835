/** The job key of an incident's `escalation.advance` timer: re-arming replaces the one waiting. */
export const escalationTimerJobKey = (incidentId: string) => `escalation:${incidentId}`;
