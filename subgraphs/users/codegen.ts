import { subgraphCodegenConfig } from '../../scripts/codegen-config.ts';

export default subgraphCodegenConfig({
  contextType: '../context.ts#UsersContext',
  mappers: {
    User: '../user.repository.ts#UserRecord',
    AuthPayload: '../auth.service.ts#AuthResult',
  },
});
