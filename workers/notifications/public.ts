/** What the composition root (queue dispatcher) may use from notifications: its queue consumers. */
export { notificationConsumers } from './consumer';
