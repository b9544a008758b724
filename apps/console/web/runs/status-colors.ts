/** Task statuses in the order a task goes through them (legend order). */
export const TASK_STATUSES = ["pending", "ready", "dispatched", "blocked", "completed", "failed"] as const;

/** Fill colours of graph nodes by task status (the same as the CSS classes `status-*`). */
export const STATUS_FILL: Readonly<Record<string, string>> = {
  pending: "#e5e7eb",
  ready: "#bfdbfe",
  dispatched: "#fde68a",
  blocked: "#e9d5ff",
  completed: "#bbf7d0",
  failed: "#fecaca",
};

export const STATUS_STROKE: Readonly<Record<string, string>> = {
  pending: "#9ca3af",
  ready: "#3b82f6",
  dispatched: "#d97706",
  blocked: "#9333ea",
  completed: "#16a34a",
  failed: "#dc2626",
};
