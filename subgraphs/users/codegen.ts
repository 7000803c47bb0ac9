import { subgraphCodegenConfig } from '@microshop/codegen';

export default subgraphCodegenConfig({
  contextType: '../context.ts#UsersContext',
  mappers: {
    User: '../user.repository.ts#UserRecord',
    AuthPayload: '../auth.service.ts#AuthResult',
    AccountPayload: '../account.service.ts#AccountResult',
    Address: '../address.repository.ts#AddressRecord',
    AddressPayload: '../address-book.service.ts#AddressResult',
  },
});
