import { compileTopics, type TopicMatcher } from '../query/compile-topics.ts';
import { QueryError } from '../query/query-error.ts';
import { ConfigError } from './config-error.ts';
import type { Config } from './schema.ts';

/** Compiles every topic's query; a query that does not parse is a configuration error naming the topic. */
export function compileConfigTopics(config: Config, file: string): TopicMatcher {
  try {
    return compileTopics(config.topics);
  } catch (err) {
    if (err instanceof QueryError) {
      const index = config.topics.findIndex((t) => t.id === err.topicId);
      throw new ConfigError(file, [`topics[${index}].query (topic "${err.topicId}"): ${err.message}`]);
    }
    throw err;
  }
}
