import type { Item, Project } from '@foreman/contracts';
import { PixelGrid } from './pixel-grid';

/**
 * The item as its project's input kind says: a pixel grid, an image, or a text. An image that cannot be
 * loaded is said so (`imageFailed`, reported through `onImageError`), since there is nothing to label.
 */
export function ItemView({
  item,
  project,
  imageFailed,
  onImageError,
}: {
  item: Item;
  project: Project;
  imageFailed: boolean;
  onImageError: () => void;
}) {
  const payload = item.payload;
  if ('vector' in payload) {
    return <PixelGrid vector={payload.vector} shape={project.shape ?? [payload.vector.length]} />;
  }
  if ('url' in payload) {
    if (imageFailed) {
      return (
        <p className="item-unavailable" role="alert">
          This image could not be loaded (URL <code>{payload.url}</code>), so it cannot be labelled. Skip it
          (S) and tell an admin.
        </p>
      );
    }
    // Item images come from wherever the data set keeps them; next/image would need every host configured.
    return (
      <img className="item-image" src={payload.url} alt={`Item ${item.externalId}`} onError={onImageError} />
    );
  }
  return <blockquote className="item-text">{payload.text}</blockquote>;
}
