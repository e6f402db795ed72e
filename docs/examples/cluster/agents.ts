// The nodes' side of the example cluster (`overseer node --agents` this file): each agent's
// handler, exported under the agent's id.
export async function thumbnail(input: { image: string }) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { thumbnail: `${input.image}.thumb.png`, by: process.pid };
}

export async function transcode(input: { video: string }) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { transcoded: `${input.video}.mp4`, by: process.pid };
}
