/**
 * Where a group, range or glob recipient is looked up: the instance
 * registry (the health service), behind the one method Send needs.
 */
export interface RecipientDirectory {
  /**
   * Names of the instances `selector` matches, in registry order. Throws a
   * DomainError: not_found `no_match` naming the selector when it matches
   * nothing, unavailable when the registry cannot be reached.
   */
  resolve(selector: string): Promise<string[]>;
}
