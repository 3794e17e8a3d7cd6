import type { ProjectEntity } from '@foreman/database';
import type { ProgressRepository } from './progress.repository';
import { ProgressService } from './progress.service';

// The repository is a fake that says how long each count took: a real slow count needs a project of a
// million labels (minutes to build). tests/progress.test.ts runs the statements themselves.
const project = { id: 'p1', classes: ['cat', 'dog'], labelsPerItem: 2 } as ProjectEntity;

/** Each count takes its cost in (fake) time; the parts run side by side, as on separate connections. */
function fakeRepository(costMs: { items: number; labellers: number; classes?: number }) {
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
    waitingCounts: jest.fn(async () => ({ skipped: 0, waitingOnSkips: 0, waitingOnMembers: 0 })),
    classDistribution: jest.fn(async (_projectId: string, classes: string[]) => {
      await takes(costMs.classes ?? 0);
      return classes.map((className) => ({ className, count: 0 }));
    }),
    timeline: jest.fn(async () => []),
  };
  const service = new ProgressService(repository as unknown as ProgressRepository);
  return {
    service,
    repository,
    label: () => (labelled += 1),
    /** One request, answered once every count it started has finished. */
    request: async (of = project) => {
      const answer = service.forProject(of);
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

  it('counts the items afresh once labels per item changed, however slow their count', async () => {
    const { repository, label, request } = fakeRepository({ items: 2_000, labellers: 5 });
    await request(); // item counts counted in 2 s: reused for 20 s from their start
    label(); // (the item with one label is fully labelled at one label per item)
    wait(1_000);
    expect(await request({ ...project, labelsPerItem: 1 })).toMatchObject({ fullyLabelled: 1 });
    expect(repository.itemCounts).toHaveBeenCalledTimes(2);
  });

  it('counts the classes afresh once they changed, however slow their count', async () => {
    const { repository, request } = fakeRepository({ items: 5, labellers: 5, classes: 2_000 });
    await request();
    wait(1_000);
    const progress = await request({ ...project, classes: ['cat', 'dog', 'bird'] });
    expect(progress.classDistribution.map(({ className }) => className)).toEqual(['cat', 'dog', 'bird']);
    expect(repository.classDistribution).toHaveBeenCalledTimes(2);
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
