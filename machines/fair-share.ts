// Weighted fair sharing of agent slots between QoS classes (start-time fair queuing): each
// class has a virtual time that advances by cost / weight whenever one of its tasks takes a
// slot; a free slot goes to the class with work whose virtual time is lowest. A class with
// no work waiting takes no turn, so its share goes to the others (borrowing); one that
// comes back starts at the virtual time of the system, never below it, so it cannot spend
// a share it did not use while idle.

/** Whether a class at virtual time `a` takes a free slot before one at `b`: lowest first. */
export const servedFirst = (a: number, b: number): boolean => a < b;

/** A class's virtual time after one of its tasks took `cost` slots. */
export const charged = (virtualTime: number, weight: number, cost = 1): number =>
  virtualTime + cost / weight;

/** A class with work again starts no earlier than the system's virtual time. */
export const resumed = (virtualTime: number, systemTime: number): number =>
  Math.max(virtualTime, systemTime);

/**
 * What one task costs its class, in slots: one, or the agent's slots times the largest
 * share of one of the agent's resources it takes (dominant resource), whichever is more.
 * A task that takes all of an agent's GPU memory costs every slot of that agent.
 */
export function slotCost(
  resources: Readonly<Record<string, number>>,
  limits: Readonly<Record<string, number>>,
  slots: number,
): number {
  let dominant = 0;
  for (const [name, amount] of Object.entries(resources)) {
    const limit = limits[name];
    if (limit !== undefined && limit > 0 && amount > 0)
      dominant = Math.max(dominant, amount / limit);
  }
  return Math.max(1, dominant * slots);
}
