import { versionsToList } from './models.service';

describe('versionsToList', () => {
  it('lists every version, newest first, while there are at most `points`', () => {
    expect(versionsToList(0, 200)).toEqual([]);
    expect(versionsToList(5, 200)).toEqual([5, 4, 3, 2, 1]);
    expect(versionsToList(200, 200)).toHaveLength(200);
  });

  it.each([
    [201, 200],
    [1_000, 200],
    [100_000, 200],
    [1_000, 2],
    [1_000, 3],
    [1_000, 999],
    [1_001, 1_000],
  ])(
    'of %i versions lists exactly %i: the newest quarter in a row, then evenly down to version 1',
    (newest, points) => {
      const listed = versionsToList(newest, points);
      const recent = Math.floor(points / 4);
      expect(listed).toHaveLength(points);
      expect(listed.slice(0, recent)).toEqual(Array.from({ length: recent }, (_, age) => newest - age));
      expect(listed.at(-1)).toBe(1);
      expect(listed).toEqual([...new Set(listed)].sort((a, b) => b - a)); // newest first, none twice
      const older = listed.slice(recent);
      expect(older[0]).toBe(newest - recent);
      const gaps = older.slice(1).map((version, index) => older[index]! - version);
      expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1); // evenly
    },
  );
});
