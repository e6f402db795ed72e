// The scripted planner's plans, and the budget the validator holds the hotel to. The first
// plan puts the hotel in Chiado, where every room is over budget: no rerun of the step can
// pass, so the step fails and the run replans. Told why, the planner looks in Alfama.

/** The most a night at the hotel may cost; the goal says so and the validator checks it. */
export const HOTEL_BUDGET_PER_NIGHT = 120;

/** The trip plan: a flight, then a hotel in `area` for its dates, and the weather meanwhile. */
const planWithHotelIn = (area: string, note: string) => ({
  steps: [
    { id: 'flight', capability: 'flights', input: { from: 'Berlin', to: 'Lisbon' } },
    {
      id: 'hotel',
      capability: 'hotels',
      input: { city: 'Lisbon', area },
      dependsOn: ['flight'],
    },
    { id: 'weather', capability: 'weather', input: { city: 'Lisbon' } },
  ],
  note,
});

export const FIRST_PLAN = planWithHotelIn(
  'Chiado',
  'book the flight first: the hotel follows its dates; stay central, in Chiado',
);

export const BUDGET_PLAN = planWithHotelIn(
  'Alfama',
  'the Chiado hotel was over budget: look in Alfama, which is cheaper',
);

/** The plan for a round, given the failures of the rounds before (none in round 1). */
export const tripPlan = (feedback: readonly string[]) =>
  feedback.some((f) => f.includes('over budget')) ? BUDGET_PLAN : FIRST_PLAN;

/** Why a hotel offer is over budget, or undefined when it is not (or is no hotel offer). */
export function overBudget(output: unknown): string | undefined {
  const { name, pricePerNight } = (output ?? {}) as { name?: unknown; pricePerNight?: unknown };
  if (typeof pricePerNight !== 'number' || pricePerNight <= HOTEL_BUDGET_PER_NIGHT)
    return undefined;
  return `the hotel is over budget: ${String(name)} costs ${pricePerNight} a night, the goal allows ${HOTEL_BUDGET_PER_NIGHT}`;
}
