import { createProjectRequestSchema, formatIssues, submitLabelRequestSchema } from '../src';

describe('project definitions', () => {
  const classes = (count: number) => Array.from({ length: count }, (_, index) => `class ${index}`);

  it('fills in the documented defaults', () => {
    const project = createProjectRequestSchema.parse({ name: 'Digits', classes: ['0', '1'], shape: [8, 8] });
    expect(project).toMatchObject({
      labelsPerItem: 1,
      leaseSeconds: 600,
      strategy: 'entropy',
      shuffleProportion: 0.1,
      retrainEveryLabels: 10,
      retrainAfterSeconds: 30,
      inputKind: 'vector',
    });
  });

  it.each([
    [{ name: 'x', classes: ['a'], shape: [2] }, 'classes'],
    [{ name: 'x', classes: ['a', 'a'], shape: [2] }, 'classes: class names must be unique'],
    [{ name: 'x', classes: ['a', 'b'] }, 'shape: vector projects need a display shape'],
    [{ name: '', classes: ['a', 'b'], inputKind: 'text' }, 'name'],
    [{ name: 'x', classes: ['a', 'b'], inputKind: 'text', strategy: 'vibes' }, 'strategy'],
    [{ name: 'x', classes: ['a', 'b'], inputKind: 'text', shuffleProportion: 2 }, 'shuffleProportion'],
    [{ name: 'x', classes: ['a', 'b'], inputKind: 'text', colour: 'red' }, 'colour'],
    [{ name: 'x', classes: classes(35), inputKind: 'text' }, 'classes: at most 34 classes (one key each'],
  ])('rejects %j naming %s', (body, field) => {
    const result = createProjectRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(formatIssues(result.error!)).toContain(field);
  });

  it('takes as many classes as the labelling page has keys', () => {
    expect(
      createProjectRequestSchema.safeParse({ name: 'x', classes: classes(34), inputKind: 'text' }).success,
    ).toBe(true);
  });
});

it('a submit needs a value and a client request id', () => {
  expect(submitLabelRequestSchema.safeParse({ value: '3', clientRequestId: 'r1' }).success).toBe(true);
  const result = submitLabelRequestSchema.safeParse({ value: [] });
  expect(formatIssues(result.error!)).toMatch(/value.*clientRequestId|clientRequestId.*value/s);
});
