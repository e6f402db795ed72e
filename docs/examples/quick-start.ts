import { createSystem } from 'overseer';

const system = createSystem({
  agents: [
    {
      id: 'resizer',
      capabilities: ['image'],
      concurrency: 4,
      handler: async (img: { width: number }) => ({ width: img.width / 2 }),
    },
    {
      id: 'mailer',
      capabilities: ['email'],
      handler: async (mail: { to: string }) => `sent to ${mail.to}`,
    },
  ],
}).start();

system.on('task.completed', (e) => console.log(`${e.taskId} completed on attempt ${e.attempt}`));
const thumb = await system.submit({
  type: 'resize',
  input: { width: 640 },
  capabilities: ['image'],
  priority: 5,
});
const mail = await system.submit({
  type: 'notify',
  input: { to: 'ada@example.com' },
  capabilities: ['email'],
  dependsOn: [thumb.id],
});

console.log(await thumb.result(), await mail.result()); // { width: 320 } sent to ada@example.com
await system.stop();
