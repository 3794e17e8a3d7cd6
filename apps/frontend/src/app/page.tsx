export default function HomePage() {
  return (
    <main>
      <h1>Foreman</h1>
      <p>Label data with a model that learns from every label.</p>
    </main>
  );
}
