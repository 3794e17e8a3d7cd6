import type { Item, Project } from '@foreman/contracts';
import { PixelGrid } from './pixel-grid';

/** The item as its project's input kind says: a pixel grid, an image, or a text. */
export function ItemView({ item, project }: { item: Item; project: Project }) {
  const payload = item.payload;
  if ('vector' in payload) {
    return <PixelGrid vector={payload.vector} shape={project.shape ?? [payload.vector.length]} />;
  }
  if ('url' in payload) {
    // Item images come from wherever the data set keeps them; next/image would need every host configured.
    return <img className="item-image" src={payload.url} alt={`Item ${item.externalId}`} />;
  }
  return <blockquote className="item-text">{payload.text}</blockquote>;
}
