import type { ProjectEntity } from '@foreman/database';
import type { ProgressRepository } from './progress.repository';
import { ProgressService } from './progress.service';

// The repository is a fake that says how long each count took: a real slow count needs a project of a
// million labels (minutes to build). tests/progress.test.ts runs the statements themselves.
const project = { id: 'p1', classes: ['cat', 'dog'] } as ProjectEntity;

/** Each count takes its cost in (fake) time; the parts run side by side, as on separate connections. */
function fakeRepository(costMs: { items: number; labellers: number }) {
  const takes = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let labelled = 0;
  const repository = {
    itemCounts: jest.fn(async () => {
      await takes(costMs.items);
      return { total: 10, fullyLabelled: labelled, inProgress: 0, remaining: 10 - labelled, leased: 0 };
    }),
    labellersAndAgreement: jest.fn(async () => {
      await takes(costMs.labellers);
      return { labellers: [], agreement: labelled > 0 ? 1 : null };
    }),
    skipCounts: jest.fn(async () => ({ skipped: 0, waitingOnSkips: 0 })),
    classDistribution: jest.fn(async () => []),
    timeline: jest.fn(async () => []),
  };
  const service = new ProgressService(repository as unknown as ProgressRepository);
  return {
    service,
    repository,
    label: () => (labelled += 1),
    /** One request, answered once every count it started has finished. */
    request: async () => {
      const answer = service.forProject(project);
      await jest.runAllTimersAsync();
      return answer;
    },
  };
}

const wait = (ms: number) => jest.setSystemTime(Date.now() + ms);

describe('ProgressService', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('counts a project that is quick to count afresh for every request', async () => {
    const { repository, label, request } = fakeRepository({ items: 5, labellers: 20 });
    await request();
    label();
    const progress = await request();
    expect(progress).toMatchObject({ fullyLabelled: 1, agreement: 1 });
    expect(repository.itemCounts).toHaveBeenCalledTimes(2);
    expect(repository.labellersAndAgreement).toHaveBeenCalledTimes(2);
  });

  it('reuses a part that was slow to count for ten times what it took, and keeps the quick parts exact', async () => {
    const { repository, label, request } = fakeRepository({ items: 5, labellers: 2_000 });
    await request(); // agreement counted in 2 s: reused for 20 s from its start
    label();
    wait(15_000);
    expect(await request()).toMatchObject({ fullyLabelled: 1, agreement: null });
    expect(repository.labellersAndAgreement).toHaveBeenCalledTimes(1);
    expect(repository.itemCounts).toHaveBeenCalledTimes(2);
  });

  it('answers a slow part past its reuse time at once, and counts it again for the next request', async () => {
    const { service, repository, label, request } = fakeRepository({ items: 5, labellers: 2_000 });
    await request();
    label();
    wait(20_000);
    let answer: unknown = null;
    void service.forProject(project).then((progress) => (answer = progress));
    await jest.advanceTimersByTimeAsync(10); // the quick part's count, not the slow one's 2 s
    expect(answer).toMatchObject({ fullyLabelled: 1, agreement: null });
    expect(repository.labellersAndAgreement).toHaveBeenCalledTimes(2);
    await jest.runAllTimersAsync();
    expect(await request()).toMatchObject({ agreement: 1 });
    expect(repository.labellersAndAgreement).toHaveBeenCalledTimes(2);
  });

  it('waits for the count of a part long past due', async () => {
    const { repository, label, request } = fakeRepository({ items: 5, labellers: 2_000 });
    await request();
    label();
    wait(11 * 60_000);
    expect(await request()).toMatchObject({ agreement: 1 });
    expect(repository.labellersAndAgreement).toHaveBeenCalledTimes(2);
  });

  it('lets concurrent requests share one count', async () => {
    const { service, repository } = fakeRepository({ items: 5, labellers: 2_000 });
    const answers = Promise.all([service.forProject(project), service.forProject(project)]);
    await jest.runAllTimersAsync();
    const [first, second] = await answers;
    expect(second).toEqual(first);
    expect(repository.labellersAndAgreement).toHaveBeenCalledTimes(1);
    expect(repository.itemCounts).toHaveBeenCalledTimes(1);
  });
});
