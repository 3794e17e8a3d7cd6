import { z } from 'zod';

export const inputKindSchema = z.enum(['vector', 'image', 'text']);
export const acquisitionStrategySchema = z.enum(['entropy', 'margin', 'least-confidence', 'random']);

/**
 * One labelling key per class: the site's labelling page has 1–9, 0 and the letters, less S and U (skip,
 * undo), so a 35th class could only be clicked.
 */
const MAX_CLASSES = 34;

const projectFields = {
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  description: z.string().max(5000),
  /** Ordered class list; the order sets the keyboard shortcuts. */
  classes: z
    .array(z.string().trim().min(1, 'a class name must not be empty').max(100))
    .min(2, 'a project needs at least 2 classes')
    .max(
      MAX_CLASSES,
      `at most ${MAX_CLASSES} classes (one key each: the digits, and the letters but S and U)`,
    )
    .refine((classes) => new Set(classes).size === classes.length, 'class names must be unique'),
  multiLabel: z.boolean(),
  inputKind: inputKindSchema,
  /** Display shape of a vector item, e.g. [8, 8]; its product is the vector length. */
  shape: z.array(z.number().int().positive()).min(1).max(3).nullable(),
  labelsPerItem: z.number().int().min(1).max(20),
  leaseSeconds: z.number().int().min(10).max(86_400),
  strategy: acquisitionStrategySchema,
  shuffleProportion: z.number().min(0).max(1),
  retrainEveryLabels: z.number().int().min(1).max(100_000),
  retrainAfterSeconds: z.number().int().min(1).max(86_400),
};

export const PROJECT_DEFAULTS = {
  description: '',
  multiLabel: false,
  inputKind: 'vector',
  shape: null,
  labelsPerItem: 1,
  leaseSeconds: 600,
  strategy: 'entropy',
  shuffleProportion: 0.1,
  retrainEveryLabels: 10,
  retrainAfterSeconds: 30,
} as const;

function requireShapeForVectors(
  project: { inputKind?: string; shape?: number[] | null },
  ctx: z.RefinementCtx,
) {
  if (project.inputKind === 'vector' && !project.shape) {
    ctx.addIssue({
      code: 'custom',
      path: ['shape'],
      message: 'vector projects need a display shape such as [8, 8]',
    });
  }
}

export const createProjectRequestSchema = z
  .object({
    name: projectFields.name,
    description: projectFields.description.default(PROJECT_DEFAULTS.description),
    classes: projectFields.classes,
    multiLabel: projectFields.multiLabel.default(PROJECT_DEFAULTS.multiLabel),
    inputKind: projectFields.inputKind.default(PROJECT_DEFAULTS.inputKind),
    shape: projectFields.shape.default(PROJECT_DEFAULTS.shape),
    labelsPerItem: projectFields.labelsPerItem.default(PROJECT_DEFAULTS.labelsPerItem),
    leaseSeconds: projectFields.leaseSeconds.default(PROJECT_DEFAULTS.leaseSeconds),
    strategy: projectFields.strategy.default(PROJECT_DEFAULTS.strategy),
    shuffleProportion: projectFields.shuffleProportion.default(PROJECT_DEFAULTS.shuffleProportion),
    retrainEveryLabels: projectFields.retrainEveryLabels.default(PROJECT_DEFAULTS.retrainEveryLabels),
    retrainAfterSeconds: projectFields.retrainAfterSeconds.default(PROJECT_DEFAULTS.retrainAfterSeconds),
  })
  .strict()
  .superRefine(requireShapeForVectors);

/**
 * Every field optional; the merged result is validated again as a whole. An archived project stays
 * readable but leaves labellers' project lists.
 */
export const updateProjectRequestSchema = z
  .object({ ...projectFields, archived: z.boolean() })
  .partial()
  .strict();

export const projectSchema = z.object({
  id: z.uuid(),
  ...projectFields,
  createdAt: z.iso.datetime({ offset: true }),
  archived: z.boolean(),
});

export type InputKind = z.infer<typeof inputKindSchema>;
export type AcquisitionStrategy = z.infer<typeof acquisitionStrategySchema>;
export type CreateProjectRequest = z.input<typeof createProjectRequestSchema>;
export type UpdateProjectRequest = z.infer<typeof updateProjectRequestSchema>;
export type Project = z.infer<typeof projectSchema>;
