/** Domain errors shared by every service; see DomainError. */
export { DomainError, type ErrorStatus, type FieldViolation } from "./domain-error.js";
export {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
  UnavailableError,
} from "./errors.js";
export {
  AllAttemptsFailedError,
  DeadlineExceededError,
  InstanceCallError,
  InstanceDownError,
  NoHealthyInstanceError,
  UnknownSessionError,
} from "./router-errors.js";
export { DatabaseUnavailableError, TransactionConflictError } from "./database-errors.js";
export { classifyDatabaseError, CONFLICT_SQLSTATES } from "./classify-database-error.js";
