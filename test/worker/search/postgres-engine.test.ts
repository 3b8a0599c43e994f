import { createDatabase } from '../../../shared/db/client';
import { loadConfig } from '../../../shared/env';
import { PostgresSearch } from '../../../workers/search/postgres';
import { testEnv } from '../../support/app';
import { runSearchContract } from './engine-contract';

runSearchContract('postgres', {
  async open() {
    const handle = createDatabase(loadConfig(testEnv));
    return { engine: new PostgresSearch(handle.db), close: () => handle.close() };
  },
});
