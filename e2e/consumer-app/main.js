import { createBlender } from 'llm-blender-web';

const result = document.querySelector('#result');
try {
  const blender = await createBlender({ ranker: '/models/tiny-pairrm', device: 'wasm' });
  const ranks = await blender.rank(['hello, how are you?'], [['fine, thanks!', 'go away', 'hi']]);
  const { ranker } = await blender.info();
  result.textContent = JSON.stringify({ ranks, backend: ranker.backend });
} catch (error) {
  result.textContent = `error: ${error.code ?? ''} ${error.message}`;
}
