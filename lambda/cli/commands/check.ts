import { countNoun } from '../../app/count-noun.ts';
import { compileConfigTopics } from '../../core/config/compile-config.ts';
import { loadConfigFile } from '../../adapters/config/load-config.ts';
import { EXIT_OK, type CliIo } from '../io.ts';

/** `newshound check`: validate the config, compile every query, print the topics. */
export async function checkCommand(options: { config: string }, io: CliIo): Promise<number> {
  const config = loadConfigFile(options.config);
  compileConfigTopics(config, options.config);
  io.stdout(
    `${options.config}: OK — ${countNoun(config.feeds.length, 'feed')}, ${countNoun(config.topics.length, 'topic')}, ${countNoun(config.subscribers.length, 'subscriber')}`,
  );
  io.stdout('Topics:');
  for (const topic of config.topics) {
    const subs = config.subscribers.filter((s) => s.topics.includes(topic.id)).length;
    io.stdout(`  ${topic.id}  ${topic.name}  (${countNoun(subs, 'subscriber')})`);
    io.stdout(`      query: ${topic.query}`);
  }
  return EXIT_OK;
}
